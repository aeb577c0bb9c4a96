"""Load a Vale style directory as a pack, so organisations can reuse their style packages.

``existence``, ``substitution``, ``occurrence`` and ``conditional`` rules are translated to
postguard kinds (their patterns run with RE2, as Go's regexp does in Vale);
``level: suggestion | warning | error`` become ``info | warning | block``. Other rule types
are reported in ``Pack.skipped`` and never silently dropped. Vale rules carry no examples, so
they are not self-tested.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from postguard.checks.policy.loader import Pack, build_rule, read_yaml, rule_files
from postguard.checks.policy.spec import LineDict
from postguard.errors import RuleError, one_of

LEVELS = {"suggestion": "info", "warning": "warning", "error": "block"}
SUPPORTED = ("conditional", "existence", "occurrence", "substitution")
# Keys postguard reads for every rule type, or may ignore without changing what is flagged
# (``code``: postguard never checks code; ``action``: how Vale's editors apply a fix).
_COMMON = {"extends", "message", "level", "link", "description", "scope", "code", "action", "vocab"}
_KEYS = {
    "existence": {"tokens", "raw", "nonword", "ignorecase", "append"},
    "substitution": {"swap", "ignorecase", "nonword"},
    "occurrence": {"max", "min", "token"},
    "conditional": {"first", "second", "exceptions", "ignorecase"},
}


def load_vale_style(directory: Path, name: str | None = None) -> Pack:
    """Translate every ``*.yml`` rule in a Vale style directory."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RuleError(f"Vale style {str(directory)!r} is not a directory")
    pack = Pack(name or directory.name, directory)
    for path in rule_files(directory):
        rule_id = f"{pack.name}.{path.stem}"
        data = read_yaml(path)
        if not isinstance(data, LineDict):
            raise RuleError(f"{path}:1: {rule_id}: a Vale rule is a mapping with 'extends'")
        extends = data.get("extends")
        if extends not in SUPPORTED:
            pack.skipped.append(f"{path}:{data.lines.get('extends', 1)}: {rule_id}: skipped: Vale rule type {one_of(extends, SUPPORTED)}")
            continue
        translated, notes = _translate(data, extends, str(path), rule_id)
        pack.skipped += notes
        if translated is None:
            continue
        pack.rules.append(build_rule(translated, str(path), rule_id, require_examples=False))
    return pack


def _translate(data: LineDict, extends: str, where: str, rule_id: str) -> tuple[LineDict | None, list[str]]:
    out = LineDict()
    out.line = data.line
    notes: list[str] = []

    def put(key: str, value: Any, source: str | None = None) -> None:
        out[key] = value
        out.lines[key] = data.lines.get(source or key, data.line)

    level = data.get("level", "suggestion")
    if level not in LEVELS:
        raise RuleError(f"{where}:{data.lines.get('level', data.line)}: {rule_id}: Vale level {one_of(level, LEVELS)}")
    put("severity", LEVELS[level], "level")
    for key in ("link", "description"):
        if data.get(key):
            put(key, str(data[key]))
    ignorecase = bool(data.get("ignorecase", False))
    put("ignorecase", ignorecase)
    bound = (lambda p: p) if data.get("nonword") else (lambda p: rf"\b(?:{p})\b")
    message = str(data.get("message") or "")
    for key in data:
        if key not in _COMMON and key not in _KEYS[extends]:
            notes.append(f"{where}:{data.lines.get(key, data.line)}: {rule_id}: note: Vale key {key!r} is not supported by postguard; ignored")
    scope = data.get("scope")
    if scope not in (None, "text", "paragraph", "sentence", "raw", "summary"):
        notes.append(f"{where}:{data.lines.get('scope', data.line)}: {rule_id}: note: Vale scope {scope!r} is not supported; the whole post is checked")

    if extends == "existence":
        tokens = [str(t) for t in data.get("tokens") or []]
        raw = "".join(str(r) for r in data.get("raw") or [])
        patterns = []
        if tokens:
            patterns.append(bound("|".join(tokens)))
        if raw:
            patterns.append(raw)
        if not patterns:
            raise RuleError(f"{where}:{data.line}: {rule_id}: a Vale existence rule needs 'tokens' or 'raw'")
        put("kind", "pattern", "extends")
        put("patterns", patterns, "tokens" if tokens else "raw")
        put("message", _message(message, ("match",)), "message")
    elif extends == "substitution":
        swap = data.get("swap") or {}
        if not isinstance(swap, dict) or not swap:
            raise RuleError(f"{where}:{data.lines.get('swap', data.line)}: {rule_id}: a Vale substitution rule needs 'swap'")
        put("kind", "substitution", "extends")
        put("regex", True)
        put("swap", {bound(str(k)): str(v) for k, v in swap.items()}, "swap")
        put("message", _message(message, ("suggest", "match")), "message")
    elif extends == "occurrence":
        if data.get("min") is not None and data.get("max") is None:
            notes.append(f"{where}:{data.lines.get('min', data.line)}: {rule_id}: skipped: occurrence 'min' is not supported (only 'max')")
            return None, notes
        put("kind", "occurrence", "extends")
        put("token", str(data.get("token", "")), "token")
        put("max", data.get("max"), "max")
        put("scope", "sentence" if scope == "sentence" else "text", "scope")
        put("message", _message(message, ("match",)), "message")
    else:  # conditional
        put("kind", "conditional", "extends")
        for key in ("first", "second"):
            put(key, str(data.get(key, "")), key)
        put("exceptions", [str(e) for e in data.get("exceptions") or []], "exceptions")
        put("message", _message(message, ("match",)), "message")
    return out, notes


def _message(message: str, order: tuple[str, ...]) -> str:
    """Vale's ``%s`` placeholders in order -> postguard's ``{names}``; braces escaped."""
    message = message.replace("{", "{{").replace("}", "}}")
    names = iter(order)
    return re.sub(r"%s", lambda _: "{" + next(names, "match") + "}", message) or "{match}"
