"""Vale styles load as packs: a rule that cannot be translated is skipped with file, line and
reason, never the whole style; lookarounds at a pattern's edges run as RE2 checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from postguard.checks.policy import load_packs
from postguard.checks.policy.rule import Target
from postguard.checks.policy.vale import load_vale_style
from postguard.engine import Checker
from postguard.errors import RuleError
from postguard.parsing import parse
from postguard.policy import Policy
from postguard.post import Post

STYLE = {
    "Hedging.yml": r"""
        extends: existence
        message: "Consider removing '%s'"
        level: warning
        ignorecase: true
        link: https://example.org/style#hedging
        tokens:
          - appears to be
          - arguably
        """,
    "Terms.yml": r"""
        extends: substitution
        message: "Use '%s' instead of '%s'."
        level: error
        ignorecase: true
        swap:
          e-mail: email
          log(?:-| )in: log in
        """,
    "Exclaim.yml": r"""
        extends: occurrence
        message: "More than one exclamation mark."
        level: suggestion
        scope: sentence
        max: 1
        token: '!'
        """,
    "Acronyms.yml": r"""
        extends: conditional
        message: "'%s' has no definition."
        level: warning
        first: '\b([A-Z]{3,5})\b'
        second: '(?:\b[A-Z][a-z]+ )+\(([A-Z]{3,5})\)'
        exceptions: [NHS]
        """,
    "Grade.yml": """
        extends: readability
        message: "Grade level (%s) too high!"
        grade: 8
        metrics:
          - Flesch-Kincaid
        """,
    "Script.yml": """
        extends: script
        message: "Consider inserting a new section heading at this point."
        script: |
          text := import("text")
        """,
}


def write_style(root: Path, name: str, files: dict[str, str]) -> Path:
    style = root / name
    style.mkdir(parents=True)
    for fname, text in files.items():
        (style / fname).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return style


def findings(pack, text: str):
    target = Target(parse(Post(text=text)))
    return [(f.rule_id, f.severity.value, f.excerpt, f.message, f.suggestion) for r in pack.rules for f in r.find(target)]


def test_supported_rule_types_are_translated(tmp_path):
    pack = load_vale_style(write_style(tmp_path, "House", STYLE))
    assert [(r.id, r.kind, r.severity.value) for r in pack.rules] == [
        ("House.Acronyms", "conditional", "warning"),
        ("House.Exclaim", "occurrence", "info"),
        ("House.Hedging", "pattern", "warning"),
        ("House.Terms", "substitution", "block"),
    ]


def test_unsupported_rule_types_are_reported_not_dropped(tmp_path):
    style = write_style(tmp_path, "House", STYLE)
    pack = load_vale_style(style)
    kinds = (
        "capitalization, conditional, consistency, existence, metric, occurrence, repetition, sequence, spelling, "
        "substitution"
    )
    assert pack.skipped == [
        f"{style / 'Grade.yml'}:1: House.Grade: skipped: Vale rule type 'readability' is not one of: {kinds}",
        f"{style / 'Script.yml'}:1: House.Script: skipped: Vale rule type 'script' is not one of: {kinds}",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This arguably works.",
            [("policy.House.Hedging", "warning", "arguably", "Consider removing 'arguably'", None)],
        ),
        (
            "Send an E-mail to log-in.",
            [
                ("policy.House.Terms", "block", "E-mail", "Use 'email' instead of 'E-mail'.", "email"),
                ("policy.House.Terms", "block", "log-in", "Use 'log in' instead of 'log-in'.", "log in"),
            ],
        ),
        ("Wow! Great! Fine! Now!", []),
        ("Wow! Great!! Fine.", [("policy.House.Exclaim", "info", "!", "More than one exclamation mark.", None)]),
        ("The NHS and the DVLA.", [("policy.House.Acronyms", "warning", "DVLA", "'DVLA' has no definition.", None)]),
        ("Driver Vehicle Licensing Agency (DVLA) and the DVLA.", []),
    ],
)
def test_translated_rules_match_like_vale(tmp_path, text, expected):
    pack = load_vale_style(write_style(tmp_path, "House", STYLE))
    assert findings(pack, text) == expected


@pytest.mark.parametrize(("scope", "expected"), [("sentence", [17]), ("text", [9, 16, 17])])
def test_occurrence_counts_per_sentence_or_text(tmp_path, scope, expected):
    style = write_style(tmp_path, "House", {"Exclaim.yml": STYLE["Exclaim.yml"].replace("sentence", scope)})
    pack = load_vale_style(style)
    target = Target(parse(Post(text="Wow! Fine! Great!!")))
    assert [f.start for r in pack.rules for f in r.find(target)] == expected


def test_a_rule_re2_cannot_run_is_skipped_with_file_line_and_reason(tmp_path):
    files = {"Bad.yml": "extends: existence\nmessage: x\nraw:\n  - '(\\w+) \\1'\n", "Hedging.yml": STYLE["Hedging.yml"]}
    style = write_style(tmp_path, "House", files)
    pack = load_vale_style(style)
    assert [r.id for r in pack.rules] == ["House.Hedging"]
    [note] = pack.skipped
    assert note.startswith(f"{style / 'Bad.yml'}:3: House.Bad: skipped: RE2 cannot compile the pattern")
    assert "not translated: a backreference" in note


def test_strict_loading_refuses_the_style(tmp_path):
    style = write_style(tmp_path, "House", {"Bad.yml": "extends: existence\nmessage: x\nraw:\n  - '(\\w+) \\1'\n"})
    with pytest.raises(RuleError, match=rf"{style / 'Bad.yml'}:3: House.Bad: RE2 cannot compile"):
        load_vale_style(style, strict=True)
    policy = Policy(name="p", checks={"policy": {"packs": [], "vale": [str(style)], "vale_strict": True}})
    with pytest.raises(RuleError, match="House.Bad"):
        Checker(policy=policy)


def test_a_folder_without_rules_is_refused_and_names_the_styles_in_it(tmp_path):
    """A policy naming the styles folder (or an empty one) would otherwise check nothing, silently."""
    write_style(tmp_path / "styles", "House", {k: v for k, v in STYLE.items() if k == "Hedging.yml"})
    with pytest.raises(RuleError, match=r"holds no rule files \(.yml or .yaml\); the styles in it: House"):
        load_vale_style(tmp_path / "styles")
    (tmp_path / "empty").mkdir()
    with pytest.raises(RuleError, match=r"'.*empty' holds no rule files \(.yml or .yaml\)$"):
        load_vale_style(tmp_path / "empty")


def test_unknown_vale_level_lists_the_levels(tmp_path):
    style = write_style(tmp_path, "House", {"L.yml": "extends: existence\nmessage: x\nlevel: fatal\ntokens: [a]\n"})
    pack = load_vale_style(style)
    assert pack.rules == []
    assert "Vale level 'fatal' is not one of: error, suggestion, warning" in pack.skipped[0]


def test_lookaround_rules_translate_and_are_counted(tmp_path):
    contractions = r"""
        extends: substitution
        message: "Use '%s' instead of '%s'."
        level: error
        ignorecase: true
        swap:
          'it is(?!\.)': it's
          'it''s(?=\.)': it is
        """
    style = write_style(tmp_path, "House", {"Contractions.yml": contractions})
    pack = load_vale_style(style)
    assert pack.translated == ["House.Contractions"] and pack.skipped == []
    assert [(f[2], f[4]) for f in findings(pack, "It is here. Where it is. Find it's.")] == [("It is", "it's"), ("it's", "it is")]


def test_policy_loads_a_vale_style_beside_the_policy_file(tmp_path):
    write_style(tmp_path / "styles", "House", {k: v for k, v in STYLE.items() if k == "Hedging.yml"})
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text("checks:\n  policy: {packs: [], vale: [styles/House]}\n", encoding="utf-8")
    report = Checker(policy=policy_file).check("It appears to be fine.")
    assert [(f.rule_id, f.excerpt) for f in report.findings] == [("policy.House.Hedging", "appears to be")]


def test_policy_check_warns_about_skipped_vale_rules(tmp_path):
    style = write_style(tmp_path, "House", STYLE)
    policy = Policy(name="p", checks={"policy": {"packs": [], "vale": [str(style)]}})
    with pytest.warns(UserWarning) as record:
        Checker(policy=policy)
    assert sorted(str(w.message).split(": ")[1] for w in record) == ["House.Grade", "House.Script"]
    assert [p.name for p in load_packs(vale=[style])] == ["House"]


def test_unsupported_keys_are_reported(tmp_path):
    style = write_style(
        tmp_path, "House",
        {"Hedge.yml": "extends: existence\nmessage: x\ntokens: [arguably]\nvocab: false\nlimit: 3\nscope: table.cell\n"},
    )
    pack = load_vale_style(style)
    assert [r.id for r in pack.rules] == ["House.Hedge"]
    assert pack.skipped == [
        f"{style / 'Hedge.yml'}:5: House.Hedge: note: Vale key 'limit' is not supported by postguard; ignored",
        f"{style / 'Hedge.yml'}:6: House.Hedge: note: Vale scope 'table.cell' is not supported; the whole post is checked",
    ]


def test_code_scope_is_skipped_as_postguard_checks_prose(tmp_path):
    style = write_style(tmp_path, "House", {"Code.yml": "extends: existence\nmessage: x\ntokens: [foo]\nscope: code\n"})
    pack = load_vale_style(style)
    assert pack.rules == [] and "skipped: Vale scope 'code'" in pack.skipped[0]


def test_rules_list_shows_the_skipped_rules_with_file_line_and_reason(tmp_path, capsys):
    from postguard.cli import main

    files = {"Bad.yml": "extends: existence\nmessage: x\nraw:\n  - '(\\w+) \\1'\n", "Hedging.yml": STYLE["Hedging.yml"]}
    style = write_style(tmp_path, "House", files)
    assert main(["rules", "list", "--vale", str(style)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["House.Hedging", "pattern", "warning"]
    assert lines[1].startswith(f"{style / 'Bad.yml'}:3: House.Bad: skipped: RE2 cannot compile the pattern")


BACKREF = {"Doubled.yml": "extends: existence\nmessage: \"'%s' twice\"\nlevel: warning\nnonword: true\nraw:\n  - '\\b(\\w+) \\1\\b'\n"}


def test_a_policy_may_run_what_re2_cannot_on_a_backtracking_engine_under_a_budget(tmp_path):
    style = write_style(tmp_path, "House", BACKREF)
    assert load_vale_style(style).rules == []
    pack = load_vale_style(style, backtrack_ms=20)
    assert pack.backtracked == ["House.Doubled"] and pack.skipped == []
    assert [f[2] for f in findings(pack, "It is is here, here.")] == ["is is"]
    policy = Policy(name="p", checks={"policy": {"packs": [], "vale": [str(style)], "vale_backtrack_ms": 20}})
    report = Checker(policy=policy).check("We go go now.")
    assert [(f.rule_id, f.excerpt) for f in report.findings] == [("policy.House.Doubled", "go go")]


def test_the_backtracking_budget_stops_a_runaway_pattern(tmp_path):
    import time

    runaway = {"Runaway.yml": "extends: existence\nmessage: x\nnonword: true\nraw:\n  - '(\\w|\\w\\w)+(?<=x)$'\n"}
    pack = load_vale_style(write_style(tmp_path, "House", runaway), backtrack_ms=20)
    [rule] = pack.rules
    t = time.perf_counter()
    assert findings(pack, "a" * 200 + "!") == []
    assert time.perf_counter() - t < 2.0
    assert rule.matcher.regexes[0].timeouts == 1
