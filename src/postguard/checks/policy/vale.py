"""Load a Vale style directory as a pack, so organisations can reuse their style packages.

Every Vale rule type but ``script`` (Tengo code) and Vale 1's ``readability`` is translated to a
postguard kind (``existence`` -> ``pattern``; the others keep their names), patterns run with
RE2; ``level: suggestion | warning | error`` become ``info | warning | block``; ``scope:
heading | list`` becomes ``within``. Lookarounds at a pattern's edges run as RE2 checks
(``lookaround``). A rule that cannot be translated or compiled is skipped with ``file:line:
rule: skipped: reason`` in ``Pack.skipped`` and never refuses the whole style (``strict=True``
refuses it; ``backtrack_ms`` runs it on a backtracking engine under that budget instead). Vale
rules carry no examples, so they are not self-tested: ``vale_suite`` runs a style's own suite.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from postguard.checks.policy.lookaround import Untranslatable
from postguard.checks.policy.lookaround import has_lookaround as _has_lookaround
from postguard.checks.policy.loader import Pack, build_rule, read_yaml, rule_files
from postguard.checks.policy.spec import LineDict
from postguard.errors import RuleError, one_of

LEVELS = {"suggestion": "info", "warning": "warning", "error": "block"}
# Vale matches per block (a heading, a paragraph), so ^ and $ hold at line ends there too.
_LINES = "(?m)"
SUPPORTED = (
    "capitalization", "conditional", "consistency", "existence", "metric", "occurrence", "repetition", "sequence",
    "spelling", "substitution",
)
# Keys postguard reads for every rule type, or may ignore without changing what is flagged
# (``code``: postguard never checks code; ``action``: how Vale's editors apply a fix).
_COMMON = {"extends", "message", "level", "link", "description", "scope", "code", "action", "vocab"}
_KEYS = {
    "existence": {"tokens", "raw", "nonword", "ignorecase", "append", "exceptions"},
    "repetition": {"tokens", "alpha", "max", "ignorecase"},
    "capitalization": {"match", "style", "exceptions", "indicators", "threshold", "prefix"},
    "consistency": {"either", "ignorecase", "nonword"},
    "metric": {"formula", "condition"},
    "sequence": {"tokens", "ignorecase"},
    "spelling": {"dictionaries", "dicpath", "filters", "ignore", "custom", "append"},
    "substitution": {"swap", "ignorecase", "nonword"},
    "occurrence": {"max", "min", "token"},
    "conditional": {"first", "second", "exceptions", "ignorecase"},
}


def load_vale_style(
    directory: Path, name: str | None = None, *, strict: bool = False, backtrack_ms: float | None = None
) -> Pack:
    """Translate every ``*.yml`` rule in a Vale style directory; skip (or, ``strict``, refuse) the rest.

    With ``backtrack_ms``, a rule whose patterns RE2 cannot run even translated runs on a
    backtracking engine under that budget per post (``Pack.backtracked``) instead of being skipped.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise RuleError(f"Vale style {str(directory)!r} is not a directory")
    files = rule_files(directory)
    if not files:  # a style that checks nothing must not pass for one that does
        styles = sorted(d.name for d in directory.iterdir() if d.is_dir() and rule_files(d))
        hint = f"; the styles in it: {', '.join(styles)} (name one of those)" if styles else ""
        raise RuleError(f"Vale style {str(directory)!r} holds no rule files (.yml or .yaml){hint}")
    pack = Pack(name or directory.name, directory)
    for path in files:
        rule_id = f"{pack.name}.{path.stem}"
        try:
            _load_rule(pack, path, rule_id)
        except RuleError as exc:
            if backtrack_ms and "RE2 cannot compile" in str(exc):
                try:
                    _load_rule(pack, path, rule_id, backtrack_ms)
                    pack.backtracked.append(rule_id)
                    continue
                except RuleError:
                    pass
            if strict:
                raise
            pack.skipped.append(_skipped(str(exc), rule_id))
    return pack


def _load_rule(pack: Pack, path: Path, rule_id: str, backtrack_ms: float | None = None) -> None:
    data = read_yaml(path)
    if not isinstance(data, LineDict):
        raise RuleError(f"{path}:1: {rule_id}: a Vale rule is a mapping with 'extends'")
    extends = data.get("extends")
    if extends not in SUPPORTED:
        raise RuleError(f"{path}:{data.lines.get('extends', 1)}: {rule_id}: Vale rule type {one_of(extends, SUPPORTED)}")
    translated, notes = _translate(data, extends, str(path), rule_id)
    if translated is None:
        pack.skipped += notes
        return
    if backtrack_ms:
        translated["backtrack_ms"] = backtrack_ms
    rule = build_rule(translated, str(path), rule_id, require_examples=False)
    pack.skipped += notes
    pack.rules.append(rule)
    if not backtrack_ms and any(has_lookaround(p) for p in _patterns(data)):
        pack.translated.append(rule_id)


def _skipped(error: str, rule_id: str) -> str:
    """``file:line: rule: reason`` -> ``file:line: rule: skipped: reason``."""
    head, sep, reason = error.partition(f" {rule_id}: ")
    return f"{head}{sep}skipped: {reason}" if sep else f"{rule_id}: skipped: {error}"


def _patterns(data: LineDict) -> list[str]:
    """Every regular expression a Vale rule holds."""
    out = [str(t) for key in ("tokens", "raw", "exceptions") for t in data.get(key) or []]
    out += [str(data[key]) for key in ("first", "second", "token") if data.get(key)]
    out += [str(k) for k in (data.get("swap") or {})]
    return [p for p in out if p]


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
    put("lookaround", True)
    bound = (lambda p: p) if data.get("nonword") else (lambda p: rf"\b(?:{p})\b")
    message = str(data.get("message") or "")
    for key in data:
        if key not in _COMMON and key not in _KEYS[extends]:
            notes.append(f"{where}:{data.lines.get(key, data.line)}: {rule_id}: note: Vale key {key!r} is not supported by postguard; ignored")
    scope = data.get("scope")
    scopes = [str(x) for x in (scope if isinstance(scope, list) else [scope] if scope else [])]
    within: list[str] = []
    for sc in scopes:
        base = sc.split(".")[0]
        if base in ("heading", "list"):
            within.append(base)
        elif base == "code":
            raise RuleError(f"{where}:{data.lines.get('scope', data.line)}: {rule_id}: Vale scope 'code': postguard checks prose only")
        elif base not in ("text", "paragraph", "sentence", "raw", "summary"):
            notes.append(f"{where}:{data.lines.get('scope', data.line)}: {rule_id}: note: Vale scope {sc!r} is not supported; the whole post is checked")
    if within:
        put("within", sorted(set(within)), "scope")
    scope = "sentence" if "sentence" in scopes else None

    if extends == "existence":
        tokens = [str(t) for t in data.get("tokens") or []]
        raw = "".join(str(r) for r in data.get("raw") or [])
        if not tokens and not raw:
            raise RuleError(f"{where}:{data.line}: {rule_id}: a Vale existence rule needs 'tokens' or 'raw'")
        # Vale joins both into one pattern: raw before the tokens, or after them with 'append'.
        words = bound("|".join(tokens)) if tokens else ""
        patterns = [_LINES + (words + raw if data.get("append") else raw + words)]
        put("kind", "pattern", "extends")
        put("patterns", patterns, "tokens" if tokens else "raw")
        put("segment", scope or "line", "scope")
        if data.get("exceptions"):
            put("exceptions", [str(e) for e in data["exceptions"]])
        put("message", _message(message, ("match",)), "message")
    elif extends == "repetition":
        tokens = [str(t) for t in data.get("tokens") or []]
        put("kind", "repetition", "extends")
        if tokens:
            put("token", "|".join(tokens), "tokens")
        put("alpha", bool(data.get("alpha", False)), "alpha")
        put("max", int(data.get("max", 0) or 0), "max")
        put("ignorecase", True)  # Vale's repetition compares words regardless of case
        put("message", _message(message, ("word",)), "message")
    elif extends == "capitalization":
        put("kind", "capitalization", "extends")
        put("match", str(data.get("match", "$title")), "match")
        for key in ("style", "prefix"):
            if data.get(key):
                put(key, str(data[key]))
        for key in ("exceptions", "indicators"):
            if data.get(key):
                put(key, [str(e) for e in data[key]])
        if data.get("threshold") is not None:
            put("threshold", float(data["threshold"]), "threshold")
        put("message", _message(message, ("match",)), "message")
    elif extends == "consistency":
        either = data.get("either") or {}
        if not isinstance(either, dict) or not either:
            raise RuleError(f"{where}:{data.lines.get('either', data.line)}: {rule_id}: a Vale consistency rule needs 'either'")
        put("kind", "consistency", "extends")
        put("either", {bound(str(k)): bound(str(v)) for k, v in either.items()}, "either")
        put("message", _message(message, ("match",)), "message")
    elif extends == "sequence":
        put("kind", "sequence", "extends")
        put("tokens", [dict(t) for t in data.get("tokens") or []], "tokens")
        put("ignorecase", bool(data.get("ignorecase", True)))
        put("message", _message(message, ("match",)), "message")
    elif extends == "spelling":
        put("kind", "spelling", "extends")
        names = [str(d) for d in data.get("dictionaries") or []] or ["en_US"]
        if len(names) > 1:
            notes.append(f"{where}:{data.lines.get('dictionaries', data.line)}: {rule_id}: note: only the first dictionary ({names[0]}) is used")
        dicpath = data.get("dicpath")
        put("dictionary", str(Path(where).parent / str(dicpath) / f"{names[0]}.dic") if dicpath else names[0], "dictionaries")
        for key in ("filters", "ignore"):
            if data.get(key):
                put(key, [str(x) for x in (data[key] if isinstance(data[key], list) else [data[key]])], key)
        put("message", _message(message, ("match",)), "message")
    elif extends == "metric":
        put("kind", "metric", "extends")
        put("formula", str(data.get("formula", "")), "formula")
        put("condition", str(data.get("condition", "")), "condition")
        put("message", _message(message, ("score",)), "message")
    elif extends == "substitution":
        swap = data.get("swap") or {}
        if not isinstance(swap, dict) or not swap:
            raise RuleError(f"{where}:{data.lines.get('swap', data.line)}: {rule_id}: a Vale substitution rule needs 'swap'")
        put("kind", "substitution", "extends")
        put("regex", True)
        put("segment", scope or "line", "scope")
        put("swap", {_LINES + bound(str(k)): str(v) for k, v in swap.items()}, "swap")
        put("message", _message(message, ("suggest", "match")), "message")
    elif extends == "occurrence":
        if data.get("min") is not None and data.get("max") is None:
            notes.append(f"{where}:{data.lines.get('min', data.line)}: {rule_id}: skipped: occurrence 'min' is not supported (only 'max')")
            return None, notes
        put("kind", "occurrence", "extends")
        put("token", _LINES + str(data.get("token", "")), "token")
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


def has_lookaround(pattern: str) -> bool:
    """True for a pattern with a lookaround; False also for one too odd to scan."""
    try:
        return _has_lookaround(pattern)
    except Untranslatable:
        return False
