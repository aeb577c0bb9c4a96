"""The ``policy`` check: an organisation's social-media policy as YAML rule packs.

Policy configuration (``checks: {policy: {...}}``)::

    packs: [social, servicedesk, inclusive, style]   # shipped packs to load
    paths: [./our-rules]          # more pack directories (relative to the policy file)
    vale: [./styles/OurStyle]     # Vale style directories, loaded as packs
    vale_strict: false            # true: a Vale rule that cannot be translated refuses the policy
    vale_backtrack_ms: 5          # run such rules on a backtracking engine, at most 5 ms a post each
    rules: {social.engagement-bait: off, style.camelcase-hashtags: info}
    settings: {organisation: Example Council, internal_domains: [intranet.example.org]}

Rule ids in findings are ``policy.<pack>.<name>``; the policy's top-level ``severity:`` works
on them too (``"policy.style.*": info``).
"""

from __future__ import annotations

import fnmatch
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.checks.policy.loader import Pack, builtin_packs, builtin_rules_dir, load_pack, with_settings
from postguard.checks.policy.rule import Rule, Target
from postguard.checks.policy.spec import SEVERITIES
from postguard.errors import PolicyError, one_of
from postguard.findings import Severity

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

CONFIG_KEYS = ("packs", "paths", "rules", "settings", "vale", "vale_backtrack_ms", "vale_strict")


class PolicyCheck(BaseCheck):
    """Runs every rule of the enabled packs; rules compile and test themselves at load."""

    name = "policy"
    # Entity rules read ``parsed.doc`` only when their context words occur, so a post without
    # them never needs a parse.
    needs_doc = False

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        unknown = [k for k in config if k not in CONFIG_KEYS]
        if unknown:
            raise PolicyError(f"checks.policy: setting {one_of(unknown[0], CONFIG_KEYS)}")
        base = Path(policy.source).parent if policy.source else Path.cwd()
        self.packs = load_packs(
            packs=_names(config.get("packs", builtin_packs()), "packs"),
            paths=[base / p for p in _names(config.get("paths", []), "paths")],
            vale=[base / p for p in _names(config.get("vale", []), "vale")],
            vale_strict=_flag(config.get("vale_strict", False), "vale_strict"),
            vale_backtrack_ms=_budget(config.get("vale_backtrack_ms")),
        )
        for pack in self.packs:
            for note in pack.skipped:
                warnings.warn(note, stacklevel=2)
        rules = [r for pack in self.packs for r in pack.rules]
        self.rules = _apply_overrides(rules, config.get("rules") or {}, config.get("settings") or {})
        self.gate = RuleGate(self.rules)
        self.entity_labels = _entity_labels(self.rules)

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        target = Target(parsed)
        skip = self.gate.cannot_match(parsed.text)
        for i, rule in enumerate(self.rules):
            if i not in skip:
                yield from rule.find(target)


def _entity_labels(rules: "list[Rule]") -> frozenset[str]:
    """The spaCy labels the ``entity`` rules read from the Doc (flagged or wanted nearby)."""
    from postguard.checks.policy.kinds.entity import SPACY_LABELS, EntityMatcher

    wanted: set[str] = set()
    for rule in rules:
        if isinstance(rule.matcher, EntityMatcher):
            wanted |= rule.matcher.wanted | rule.matcher.near
    return frozenset(wanted & set(SPACY_LABELS))


class RuleGate:
    """Which pattern and phrase rules cannot match a text, from one RE2 set pass.

    Most posts match none of a pack's regular expressions, and running each compiled pattern on
    its own re-encodes the text and crosses into RE2 once per rule. An ``RE2::Set`` of all of them
    answers "which could match anywhere" in one pass; only those rules then run as before.
    """

    def __init__(self, rules: list[Rule]) -> None:
        from postguard.checks.policy.kinds.pattern import PatternMatcher
        from postguard.checks.policy.kinds.phrase import PhraseMatcher
        from postguard.checks.policy.kinds.substitution import PatternSwap

        self.gated: frozenset[int] = frozenset()
        self.sets: list[tuple[Any, list[int]]] = []  # (RE2 set, rule index of each pattern)
        members: dict[bool, list[tuple[str, int]]] = {True: [], False: []}
        gated: set[int] = set()
        for i, rule in enumerate(rules):
            matcher = rule.matcher
            if isinstance(matcher, PatternMatcher):
                regexes = matcher.regexes
            elif isinstance(matcher, PhraseMatcher):
                regexes = [matcher.regex.regex] if matcher.regex.regex is not None else []
            elif isinstance(matcher, PatternSwap):
                regexes = [regex for regex, _ in matcher.pairs]
            else:
                continue
            if not all(hasattr(r, "options") for r in regexes):
                continue  # a backtracking pattern: not in RE2's set, so the rule always runs
            for regex in regexes:
                members[regex.options.case_sensitive].append((regex.pattern, i))
            gated.add(i)
        try:
            import re2

            for case_sensitive, items in members.items():
                if not items:
                    continue
                options = re2.Options()
                options.log_errors = False
                options.case_sensitive = case_sensitive
                rset = re2.Set.SearchSet(options)
                for pattern, _ in items:
                    rset.Add(pattern)
                rset.Compile()
                self.sets.append((rset, [i for _, i in items]))
        except Exception:  # noqa: BLE001 - a set RE2 will not build: every rule simply runs
            self.sets = []
            return
        self.gated = frozenset(gated)

    def cannot_match(self, text: str) -> frozenset[int] | set[int]:
        if not self.gated:
            return frozenset()
        possible = set()
        for rset, owners in self.sets:
            for k in rset.Match(text) or ():
                possible.add(owners[k])
        return self.gated - possible


def load_packs(
    packs: Iterable[str] = (),
    paths: Iterable[Path] = (),
    vale: Iterable[Path] = (),
    *,
    vale_strict: bool = False,
    vale_backtrack_ms: float | None = None,
) -> list[Pack]:
    """Shipped packs by name, pack directories and Vale styles; self-tests run for our format."""
    from postguard.checks.policy.vale import load_vale_style

    available = builtin_packs()
    out: list[Pack] = []
    for name in packs:
        if name not in available:
            raise PolicyError(f"checks.policy.packs: pack {one_of(name, available)}")
        out.append(load_pack(builtin_rules_dir() / name, name))
    out += [load_pack(Path(p)) for p in paths]
    out += [load_vale_style(Path(p), strict=vale_strict, backtrack_ms=vale_backtrack_ms) for p in vale]
    seen: dict[str, Path] = {}
    for pack in out:
        if pack.name in seen and seen[pack.name] != pack.path:
            raise PolicyError(f"two rule packs are both called {pack.name!r}: {seen[pack.name]} and {pack.path}")
        seen[pack.name] = pack.path
    return out


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(f"checks.policy.{key} must be true or false, not {value!r}")
    return value


def _budget(value: Any) -> float | None:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise PolicyError(f"checks.policy.vale_backtrack_ms must be a number of milliseconds > 0, not {value!r}")
    return float(value)


def _names(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"checks.policy.{key} must be a list of names or paths")
    return value


def _apply_overrides(rules: list[Rule], overrides: Mapping[str, Any], settings: Mapping[str, Any]) -> list[Rule]:
    """Switch rules off, change severities and apply the policy's settings."""
    if not isinstance(overrides, Mapping) or not isinstance(settings, Mapping):
        raise PolicyError("checks.policy.rules and checks.policy.settings must be mappings")
    known = {k for r in rules for k in r.settings}
    for key in settings:
        if key not in known:
            raise PolicyError(f"checks.policy.settings: setting {one_of(key, known)}")
    ids = {r.id for r in rules}
    table: dict[str, str] = {}
    for key, value in overrides.items():
        rid = key[len("policy.") :] if key.startswith("policy.") else key
        if value is False:
            value = "off"
        if value not in (*SEVERITIES, "off"):
            raise PolicyError(f"checks.policy.rules.{key}: {one_of(value, (*SEVERITIES, 'off'))}")
        if not any(ch in rid for ch in "*?[") and rid not in ids:
            raise PolicyError(f"checks.policy.rules: no loaded rule is called {key!r} (see 'postguard rules list')")
        table[rid] = value
    out = []
    for rule in rules:
        value = table.get(rule.id)
        if value is None:
            globs = [k for k in table if fnmatch.fnmatchcase(rule.id, k)]
            value = table[max(globs, key=len)] if globs else None
        if value == "off":
            continue
        if value is not None:

            rule = replace(rule, severity=Severity(value))
        out.append(with_settings(rule, settings) if settings else rule)
    return out


__all__ = ["PolicyCheck", "load_packs"]
