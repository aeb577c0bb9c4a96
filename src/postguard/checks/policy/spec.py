"""Load time: a YAML rule file's fields, examples and settings, read with errors that point at the line.

A rule file holds the common fields below plus the fields of its ``kind``; every value keeps
the line it came from so an invalid file is refused with ``file:line`` and what is allowed.
The loader compiles what is read here into a ``Rule`` (``rule.py``), which is what runs.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from postguard.errors import RuleError, one_of
from postguard.platforms import platform_names
from postguard.post import FORMATS

SEVERITIES = ("info", "warning", "block")

#: Fields every rule may have, whatever its kind.
COMMON_FIELDS: dict[str, str] = {
    "kind": "which matcher runs the rule (required)",
    "severity": "info | warning | block (default: warning)",
    "message": "what the author sees; may use {match} (required)",
    "description": "one line for 'postguard rules list'",
    "link": "URL of the policy clause",
    "suggest": "replacement text for the flagged span",
    "entity": "what the rule finds, as a built-in check names it (PASSWORD, RESET_LINK, EMAIL_ADDRESS...); "
    "a built-in finding of the same entity over nearly the same words is merged with this one",
    "platforms": "only check posts for these platforms",
    "ignorecase": "match regardless of case",
    "within": "only flag inside these Markdown blocks: heading, list, paragraph",
    "lookaround": "true: a leading lookbehind or trailing lookahead runs as an RE2 match plus an anchored check",
    "backtrack_ms": "run a pattern RE2 cannot with a backtracking engine, for at most this many ms a post",
    "settings": "defaults for ${name} references; a policy overrides them",
    "examples": "{flag: [...], pass: [...]}; [[...]] marks the span a flag example expects",
}

_MARK = re.compile(r"\[\[(.*?)\]\]", re.S)
_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


# ---------------------------------------------------------------------------------------------
# Values that remember where they came from


class LineDict(dict):
    """A YAML mapping that remembers the line of each key."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines: list[int] = []


# ---------------------------------------------------------------------------------------------
# Examples


@dataclass(frozen=True)
class Example:
    """One embedded test: the text (markers removed) and the spans a finding must cover."""

    text: str
    spans: tuple[tuple[int, int], ...]
    flag: bool
    line: int
    format: str = "plain"
    platform: str = "generic"
    scheduled_at: datetime | None = None
    now: datetime | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)


def _unmark(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(raw):
        before = raw[pos : m.start()]
        out.append(before)
        length += len(before)
        spans.append((length, length + len(m.group(1))))
        out.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    out.append(raw[pos:])
    return "".join(out), tuple(spans)


_EXAMPLE_KEYS = ("text", "format", "platform", "scheduled_at", "now", "settings")


def _as_datetime(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise RuleError(f"{where}: {value!r} is not an ISO date-time (e.g. 2026-06-01T09:00:00Z)") from None
    if not isinstance(value, datetime):
        raise RuleError(f"{where}: expected an ISO date-time such as 2026-06-01T09:00:00Z, not {value!r}")
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def parse_examples(value: Any, where: str, rule_id: str, line: int) -> tuple[Example, ...]:
    """Read ``examples: {flag: [...], pass: [...]}``; a rule needs at least one of each."""
    at = f"{where}:{line}"
    if not isinstance(value, dict):
        raise RuleError(f"{at}: {rule_id}: 'examples' must be a mapping with 'flag' and 'pass' lists")
    unknown = set(value) - {"flag", "pass"}
    if unknown:
        bad = sorted(unknown, key=str)[0]
        raise RuleError(f"{where}:{value.lines.get(bad, line)}: {rule_id}: examples: {one_of(bad, ('flag', 'pass'))}")
    examples: list[Example] = []
    for key in ("flag", "pass"):
        items = value.get(key)
        kline = value.lines.get(key, line) if isinstance(value, LineDict) else line
        if not items:
            raise RuleError(
                f"{where}:{kline}: {rule_id}: needs at least one '{key}' example "
                f"(every rule has at least one flag and one pass example)"
            )
        if not isinstance(items, list):
            raise RuleError(f"{where}:{kline}: {rule_id}: examples.{key} must be a list")
        lines = getattr(items, "lines", [kline] * len(items))
        for item, iline in zip(items, lines):
            iat = f"{where}:{iline}"
            opts: dict[str, Any] = {}
            if isinstance(item, dict):
                bad = [k for k in item if k not in _EXAMPLE_KEYS]
                if bad:
                    raise RuleError(f"{iat}: {rule_id}: example field {one_of(bad[0], _EXAMPLE_KEYS)}")
                opts = dict(item)
                raw = opts.pop("text", None)
            else:
                raw = item
            if not isinstance(raw, str) or not raw:
                raise RuleError(f"{iat}: {rule_id}: an example is a non-empty string or a mapping with 'text'")
            text, spans = _unmark(raw)
            if key == "flag" and not spans:
                raise RuleError(f"{iat}: {rule_id}: a flag example marks the expected span with [[...]]")
            if key == "pass" and spans:
                raise RuleError(f"{iat}: {rule_id}: a pass example has no [[...]] span")
            settings = opts.get("settings") or {}
            if not isinstance(settings, dict):
                raise RuleError(f"{iat}: {rule_id}: example 'settings' must be a mapping")
            fmt = opts.get("format", "plain")
            if fmt not in FORMATS:
                raise RuleError(f"{iat}: {rule_id}: example format {one_of(fmt, FORMATS)}")
            platform = opts.get("platform", "generic")
            if platform not in platform_names():
                raise RuleError(f"{iat}: {rule_id}: example platform {one_of(platform, platform_names())}")
            examples.append(
                Example(
                    text=text,
                    spans=spans,
                    flag=key == "flag",
                    line=iline,
                    format=fmt,
                    platform=platform,
                    scheduled_at=_as_datetime(opts.get("scheduled_at"), f"{iat}: {rule_id}"),
                    now=_as_datetime(opts.get("now"), f"{iat}: {rule_id}"),
                    settings=dict(settings),
                )
            )
    return tuple(examples)


# ---------------------------------------------------------------------------------------------
# Kind-specific fields, read with errors that point at the line


class Fields:
    """The fields of one rule file with ``${setting}`` references resolved, read by a kind."""

    def __init__(self, data: LineDict, where: str, rule_id: str, settings: Mapping[str, Any]) -> None:
        self.data = data
        self.where = where
        self.rule_id = rule_id
        self.settings = settings

    def line(self, key: str) -> int:
        return self.data.lines.get(key, self.data.line) if isinstance(self.data, LineDict) else 0

    def error(self, key: str, message: str) -> RuleError:
        return RuleError(f"{self.where}:{self.line(key)}: {self.rule_id}: {message}")

    def __contains__(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str, default: Any = None) -> Any:
        if key not in self.data:
            return default
        return _resolve(self.data[key], self.settings, lambda msg: self.error(key, msg))

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self.raw(key)
        if value is None:
            if required:
                raise self.error(key, f"'{key}' is required")
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.error(key, f"'{key}' must be a string")
        return str(value)

    def texts(self, key: str, *, required: bool = False) -> list[str]:
        value = self.raw(key)
        if value is None:
            if required:
                raise self.error(key, f"'{key}' is required (a list of strings)")
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise self.error(key, f"'{key}' must be a list of strings")
        return [str(v) for v in value]

    def integer(self, key: str, default: int | None = None, *, minimum: int = 0) -> int | None:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(key, f"'{key}' must be a whole number >= {minimum}, not {value!r}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"'{key}' must be true or false, not {value!r}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(key, default)
        if value is None:
            raise self.error(key, f"'{key}' is required (one of: {', '.join(allowed)})")
        if value not in allowed:
            raise self.error(key, f"{key} {one_of(value, allowed)}")
        return value  # type: ignore[return-value]

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.raw(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(key, f"'{key}' must be a mapping")
        return dict(value)

    def re2(self, key: str, pattern: str, *, ignorecase: bool = False) -> Any:
        """Compile ``pattern`` with RE2; refuse what RE2 cannot run in linear time."""
        lookaround = self.flag("lookaround", False)
        budget = self.raw("backtrack_ms")
        if budget is not None and (not isinstance(budget, (int, float)) or isinstance(budget, bool) or budget <= 0):
            raise self.error("backtrack_ms", f"'backtrack_ms' must be a number of milliseconds > 0, not {budget!r}")
        return compile_re2(
            pattern, ignorecase=ignorecase, fail=lambda msg: self.error(key, msg), lookaround=lookaround, backtrack_ms=budget
        )


def _resolve(value: Any, settings: Mapping[str, Any], fail: Any) -> Any:
    if isinstance(value, str):
        whole = _REF.fullmatch(value)
        if whole:
            return _setting(whole.group(1), settings, fail)
        return _REF.sub(lambda m: str(_setting(m.group(1), settings, fail)), value)
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str) and _REF.fullmatch(item):
                resolved = _resolve(item, settings, fail)
                out.extend(resolved if isinstance(resolved, list) else [resolved])
            else:
                out.append(_resolve(item, settings, fail))
        return out
    if isinstance(value, dict):
        return {_resolve(k, settings, fail): _resolve(v, settings, fail) for k, v in value.items()}
    return value


def _setting(name: str, settings: Mapping[str, Any], fail: Any) -> Any:
    if name not in settings:
        known = ", ".join(sorted(settings)) or "none"
        raise fail(f"${{{name}}} is not a setting of this rule (declare a default under 'settings:'; known: {known})")
    return settings[name]


def compile_re2(
    pattern: str, *, ignorecase: bool = False, fail: Any = None, lookaround: bool = False, backtrack_ms: float | None = None
) -> Any:
    """Compile with RE2; with ``lookaround``, edge lookarounds become anchored RE2 checks; with
    ``backtrack_ms``, what is left runs on a backtracking engine under that budget."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignorecase
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
    if lookaround:
        from postguard.checks.policy.lookaround import GuardedRegex, Untranslatable, has_lookaround, translate

        try:
            if has_lookaround(pattern):
                compile_piece = lambda p: compile_re2(p, ignorecase=ignorecase, fail=fail)  # noqa: E731
                return GuardedRegex(pattern, translate(pattern), compile_piece)
        except Untranslatable as why:
            reason = f"{reason}; not translated: {why}"
    if backtrack_ms:
        from postguard.checks.policy.backtrack import BacktrackRegex

        try:
            return BacktrackRegex(pattern, ignorecase=ignorecase, budget_ms=backtrack_ms)
        except Exception as exc:  # noqa: BLE001 - the regex module's error, reported with RE2's
            reason = f"{reason}; the backtracking engine cannot compile it either: {exc}"
    msg = (
        f"RE2 cannot compile the pattern {pattern!r}: {reason} (RE2 has no lookaround or "
        "backreferences; that is what keeps matching linear)"
    )
    raise (fail(msg) if fail else RuleError(msg)) from None


def placeholders(message: str) -> list[str]:
    """Names used as ``{name}`` in a message; raises ValueError on a malformed one."""
    return [name for _, name, _, _ in string.Formatter().parse(message) if name]
