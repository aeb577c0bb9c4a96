"""Load rule packs: ``rules/<pack>/<name>.yaml`` becomes the rule ``<pack>.<name>``.

Every file is validated and compiled once; an invalid one is refused with ``file:line`` and
what is allowed. ``load_pack`` also runs each rule's own examples (see ``selftest``) and
refuses a rule whose examples fail.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from postguard.checks.policy import kinds
from postguard.checks.policy.rule import Rule
from postguard.checks.policy.spec import (
    COMMON_FIELDS,
    SEVERITIES,
    Fields,
    LineDict,
    LineList,
    parse_examples,
    placeholders,
)
from postguard.errors import RuleError, one_of
from postguard.findings import Severity

RULE_SUFFIXES = (".yaml", ".yml")


# ---------------------------------------------------------------------------------------------
# YAML that keeps line numbers


# libyaml's parser when installed (about 10x faster); its nodes carry the same marks.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            where = getattr(loader, "rule_file", node.start_mark.name)
            raise RuleError(f"{where}:{key_node.start_mark.line + 1}: a key must be a plain value")
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file into LineDict/LineList values; syntax errors name the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    try:
        return yaml.load(text, Loader=_make_loader(str(path)))  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        loc = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise RuleError(f"{loc}: invalid YAML: {exc.problem}") from None


def _make_loader(name: str) -> type[_LineLoader]:
    class Loader(_LineLoader):
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self.rule_file = name

    return Loader


# ---------------------------------------------------------------------------------------------
# One rule


def build_rule(
    data: Any,
    where: str,
    rule_id: str,
    *,
    settings: Mapping[str, Any] | None = None,
    require_examples: bool = True,
) -> Rule:
    """Validate a rule file's mapping and compile it; ``settings`` override the rule's defaults."""
    if not isinstance(data, LineDict):
        raise RuleError(f"{where}:1: {rule_id}: a rule file is a mapping of fields ({', '.join(COMMON_FIELDS)})")
    loc = lambda key: f"{where}:{data.lines.get(key, data.line)}"  # noqa: E731
    defaults = data.get("settings") or {}
    if not isinstance(defaults, dict):
        raise RuleError(f"{loc('settings')}: {rule_id}: 'settings' must be a mapping of name: default")
    merged = {**defaults, **{k: v for k, v in (settings or {}).items() if k in defaults}}
    fields = Fields(data, where, rule_id, merged)

    if "kind" not in data:
        raise RuleError(f"{where}:{data.line}: {rule_id}: 'kind' is required (one of: {', '.join(sorted(kinds.KINDS))})")
    kind = data["kind"]
    module = kinds.kind_module(kind, fields)
    allowed = {**COMMON_FIELDS, **module.FIELDS}
    for key in data:
        if key not in allowed:
            raise RuleError(f"{loc(key)}: {rule_id}: unknown field {key!r} for kind {kind!r} (allowed: {', '.join(sorted(allowed))})")

    message = fields.text("message")
    if not message or not message.strip():
        raise RuleError(f"{loc('message')}: {rule_id}: 'message' is required: what the author sees (may use {{match}})")
    names = ("match", "suggest", *module.PLACEHOLDERS)
    try:
        used = placeholders(message)
    except ValueError as exc:
        raise RuleError(f"{loc('message')}: {rule_id}: malformed message: {exc} (write {{{{ for a literal brace)") from None
    for name in used:
        if name not in names:
            allowed_names = ", ".join("{" + n + "}" for n in names)
            raise RuleError(f"{loc('message')}: {rule_id}: message placeholder {{{name}}} is not one of: {allowed_names}")

    severity = data.get("severity", "warning")
    if severity not in SEVERITIES:
        raise RuleError(f"{loc('severity')}: {rule_id}: severity {one_of(severity, SEVERITIES)}")

    platforms = tuple(fields.texts("platforms"))
    if platforms:
        from postguard.platforms import get_platform, platform_names

        for p in platforms:
            if p not in platform_names():
                raise RuleError(f"{loc('platforms')}: {rule_id}: platform {one_of(p, platform_names())}")
        platforms = tuple(get_platform(p).name for p in platforms)

    examples = ()
    if "examples" in data or require_examples:
        examples = parse_examples(data.get("examples"), where, rule_id, data.lines.get("examples", data.line))
        for ex in examples:
            for key in ex.settings:
                if key not in defaults:
                    known = f"known: {', '.join(sorted(defaults))}" if defaults else "the rule declares none"
                    raise RuleError(
                        f"{where}:{ex.line}: {rule_id}: example setting {key!r} is not a setting of this rule "
                        f"({known}; declare it with a default under 'settings:')"
                    )
    within = tuple(fields.texts("within"))
    if within:
        from postguard.checks.policy.blocks import SCOPES

        for scope in within:
            if scope not in SCOPES:
                raise RuleError(f"{loc('within')}: {rule_id}: within {one_of(scope, SCOPES)}")
    fields.flag("ignorecase", True)  # type-check it even for kinds that ignore it
    matcher = kinds.build(kind, fields)
    return Rule(
        id=rule_id,
        kind=kind,
        severity=Severity(severity),
        message=message,
        matcher=matcher,
        source=where,
        line=data.line,
        description=fields.text("description", "") or "",
        link=fields.text("link"),
        suggest=fields.text("suggest"),
        entity=_entity(fields),
        platforms=platforms,
        examples=examples,
        settings=merged,
        data=data,
        pack=rule_id.partition(".")[0],
        within=within,
    )


def _entity(fields: Fields) -> str | None:
    entity = fields.text("entity")
    if entity is not None and not re.fullmatch(r"[A-Z][A-Z0-9_]*", entity):
        raise fields.error("entity", f"entity {entity!r} is an upper-case name such as PASSWORD or EMAIL_ADDRESS")
    return entity


def with_settings(rule: Rule, settings: Mapping[str, Any]) -> Rule:
    """The same rule compiled with some of its settings changed (self-tests are not re-run)."""
    relevant = {k: v for k, v in settings.items() if k in rule.settings}
    if not relevant or rule.data is None:
        return rule
    rebuilt = build_rule(rule.data, rule.source, rule.id, settings={**rule.settings, **relevant})
    return replace(rule, matcher=rebuilt.matcher, settings=rebuilt.settings)


def load_rule_file(path: Path, pack: str | None = None) -> Rule:
    """Read and compile one rule file (examples are parsed, not run)."""
    pack = pack or path.parent.name
    return build_rule(read_yaml(path), str(path), f"{pack}.{path.stem}")


# ---------------------------------------------------------------------------------------------
# Packs


@dataclass
class Pack:
    """The rules of one directory, plus what could not be loaded and why."""

    name: str
    path: Path
    rules: list[Rule] = field(default_factory=list)
    #: ``file:line: rule: reason`` for what was skipped or ignored (Vale rule types and keys
    #: postguard does not run), reported rather than silently dropped.
    skipped: list[str] = field(default_factory=list)
    #: Ids of the rules whose lookarounds were translated into RE2 checks (Vale styles).
    translated: list[str] = field(default_factory=list)
    #: Ids of the rules run on a backtracking engine under a time budget (a policy's choice).
    backtracked: list[str] = field(default_factory=list)


def builtin_rules_dir() -> Path:
    """The packs shipped with postguard."""
    return Path(str(resources.files("postguard") / "rules"))


def builtin_packs() -> list[str]:
    root = builtin_rules_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in RULE_SUFFIXES and p.is_file())


def load_pack(directory: Path, name: str | None = None, *, selftest: bool = True) -> Pack:
    """Load every rule in ``directory``; with ``selftest`` a rule whose examples fail is refused."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RuleError(f"rule pack {str(directory)!r} is not a directory")
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in rule_files(directory))
    return _load_pack(str(directory), name or directory.name, selftest, stamp)


@functools.lru_cache(maxsize=64)
def _load_pack(directory: str, name: str, selftest: bool, stamp: tuple[tuple[str, int], ...]) -> Pack:
    from postguard.checks.policy.selftest import check_rule

    pack = Pack(name, Path(directory))
    for path, _ in stamp:
        rule = build_rule(read_yaml(Path(path)), path, f"{name}.{Path(path).stem}")
        if selftest:
            check_rule(rule)
        pack.rules.append(rule)
    return pack


def find_packs(paths: Iterable[Path]) -> list[Path]:
    """Pack directories under ``paths``: a directory with rule files, or one holding such directories."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_file():
            found.append(path)
        elif path.is_dir() and rule_files(path):
            found.append(path)
        elif path.is_dir():
            subs = [p for p in sorted(path.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))]
            packs = [p for p in subs if rule_files(p)]
            if not packs:
                raise RuleError(f"{path}: no rule files (*.yaml, *.yml) in it or in its sub-folders")
            found += packs
        else:
            raise RuleError(f"{path}: no such file or directory")
    return found
