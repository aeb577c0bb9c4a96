"""Run a Vale style's own test suite (``features/*.feature`` over ``fixtures/``) against postguard.

A scenario reads ``When I test "Name"`` and lists the alerts Vale gives on ``fixtures/Name/``
as ``file:line:col:Style.Rule:message``. Alerts are compared on file, line and rule; the column
is counted as agreeing separately (Vale counts characters from 1 on the line, as here, but
reports some rules at a different place in the match, e.g. after a leading space).

An expected alert on a line the fixture file does not have (or in a file it lacks) comes from
another version of the fixture than the feature's; it is counted as ``stale``, apart from the
alerts postguard missed.

Which rules run in a scenario: those the fixture's ``.vale.ini`` switches on (``Style.Rule =
YES``, or every rule with ``BasedOnStyles``); without a ``.vale.ini``, the rules the scenario
expects plus the rule named like the scenario, since each fixture was written for those.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from postguard.checks.policy.loader import Pack
from postguard.checks.policy.rule import Target
from postguard.parsing import parse
from postguard.post import Post

_WHEN = re.compile(r'^\s*When I (?:test|lint) "([^"]+)"')
_ALERT = re.compile(r"^\s*([^:\s]+):(\d+):(\d+):([\w.-]+):(.*)$")
_SUFFIX_FORMAT = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".txt": "plain"}


@dataclass(frozen=True)
class Alert:
    """One alert as Vale prints it with ``--output=line``."""

    file: str
    line: int
    col: int
    rule: str
    message: str = ""

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.file, self.line, self.rule)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}:{self.rule}:{self.message}"


@dataclass
class Scenario:
    """``When I test "fixture"`` and the alerts Vale gives there."""

    name: str
    fixture: str
    expected: list[Alert]
    where: str


@dataclass
class Outcome:
    """One scenario run: what was expected, what postguard found, and what matched."""

    scenario: Scenario
    found: list[Alert]
    ran: bool = True  # False when the fixture folder is missing
    missing: list[Alert] = field(default_factory=list)
    extra: list[Alert] = field(default_factory=list)
    columns_agree: int = 0
    #: Expected alerts past the end of their fixture file: the fixture is another version.
    stale: list[Alert] = field(default_factory=list)

    @property
    def expected(self) -> int:
        """Expected alerts that the fixture can give."""
        return len(self.scenario.expected) - len(self.stale)

    @property
    def matched(self) -> int:
        return self.expected - len(self.missing)


def read_features(root: Path) -> list[Scenario]:
    """Every scenario in ``root/features/*.feature``."""
    scenarios: list[Scenario] = []
    for path in sorted((Path(root) / "features").glob("*.feature")):
        lines = path.read_text(encoding="utf-8").splitlines()
        name, fixture, inside, expected, where = "", "", False, [], ""
        for n, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped.startswith("Scenario:"):
                name = stripped.partition(":")[2].strip()
            m = _WHEN.match(line)
            if m:
                fixture, expected, where = m.group(1), [], f"{path}:{n}"
            if stripped == '"""':
                if inside and fixture:
                    scenarios.append(Scenario(name or fixture, fixture, expected, where))
                    fixture = ""
                inside = not inside
                continue
            if inside:
                a = _ALERT.match(line)
                if a:
                    expected.append(Alert(a.group(1), int(a.group(2)), int(a.group(3)), a.group(4), a.group(5)))
    return scenarios


def enabled_rules(fixture_dir: Path, style: str, scenario: Scenario, rule_ids: set[str]) -> set[str]:
    """The rule ids a scenario runs (see the module docstring)."""
    ini = fixture_dir / ".vale.ini"
    if ini.is_file():
        on: set[str] = set()
        off: set[str] = set()
        for raw in ini.read_text(encoding="utf-8").splitlines():
            key, sep, value = raw.partition("=")
            key, value = key.strip(), value.strip()
            if not sep:
                continue
            if key == "BasedOnStyles" and style in [v.strip() for v in value.split(",")]:
                on |= {r for r in rule_ids if r.startswith(style + ".")}
            elif key.startswith(style + "."):
                (on if value.upper() == "YES" else off).add(key)
        if on:
            return on - off
    named = {a.rule for a in scenario.expected} | {f"{style}.{scenario.fixture}"}
    return named & rule_ids


def alerts(pack: Pack, text: str, fmt: str, file: str, rules: set[str]) -> list[Alert]:
    """postguard's findings for ``text`` as Vale alerts (1-based line and column)."""
    target = Target(parse(Post(text=text, format=fmt)))
    out = []
    for rule in pack.rules:
        if rule.id not in rules:
            continue
        for f in rule.find(target):
            line = text.count("\n", 0, f.start) + 1
            col = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
            out.append(Alert(file, line, col, rule.id, f.message))
    return sorted(out, key=lambda a: (a.file, a.line, a.col, a.rule))


def run_scenario(scenario: Scenario, pack: Pack, root: Path) -> Outcome:
    """Lint the scenario's fixture folder with the pack and compare with what Vale expects."""
    fixture_dir = Path(root) / "fixtures" / scenario.fixture
    if not fixture_dir.is_dir():
        return Outcome(scenario, [], ran=False, missing=list(scenario.expected))
    rules = enabled_rules(fixture_dir, pack.name, scenario, {r.id for r in pack.rules})
    found: list[Alert] = []
    lines: dict[str, int] = {}
    for path in sorted(fixture_dir.iterdir()):
        fmt = _SUFFIX_FORMAT.get(path.suffix)
        if fmt and path.is_file():
            text = path.read_text(encoding="utf-8")
            lines[path.name] = len(text.splitlines())
            found += alerts(pack, text, fmt, path.name, rules)
    outcome = compare(scenario, found)
    outcome.stale = [a for a in outcome.missing if a.line > lines.get(a.file, 0)]
    outcome.missing = [a for a in outcome.missing if a not in outcome.stale]
    return outcome


def compare(scenario: Scenario, found: Iterable[Alert]) -> Outcome:
    """Match expected and found alerts on (file, line, rule), each at most once."""
    found = list(found)
    pool = Counter(a.key for a in found)
    missing = []
    for a in scenario.expected:
        if pool[a.key]:
            pool[a.key] -= 1
        else:
            missing.append(a)
    want = Counter(a.key for a in scenario.expected)
    extra = []
    for a in found:
        if want[a.key]:
            want[a.key] -= 1
        else:
            extra.append(a)
    expected_cols = Counter((*a.key, a.col) for a in scenario.expected)
    agree = 0
    for a in found:
        k = (*a.key, a.col)
        if expected_cols[k]:
            expected_cols[k] -= 1
            agree += 1
    return Outcome(scenario, found, True, missing, extra, agree)


def run_suite(root: Path, pack: Pack) -> list[Outcome]:
    """Every scenario of the style whose suite is at ``root``."""
    return [run_scenario(s, pack, root) for s in read_features(root)]
