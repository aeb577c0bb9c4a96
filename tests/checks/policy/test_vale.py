"""Vale styles load as packs: existence, substitution, occurrence and conditional rules run;
other rule types are reported and skipped."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from postguard.checks.policy import load_packs
from postguard.checks.policy.spec import Target
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
    "Spelling.yml": """
        extends: spelling
        message: "Did you really mean '%s'?"
        level: error
        """,
    "Caps.yml": """
        extends: capitalization
        message: "'%s' should be in title case"
        match: $title
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
    assert pack.skipped == [
        f"{style / 'Caps.yml'}:1: House.Caps: skipped: Vale rule type 'capitalization' is not one of: "
        "conditional, existence, occurrence, substitution",
        f"{style / 'Spelling.yml'}:1: House.Spelling: skipped: Vale rule type 'spelling' is not one of: "
        "conditional, existence, occurrence, substitution",
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


def test_vale_pattern_re2_cannot_compile_is_refused(tmp_path):
    style = write_style(tmp_path, "House", {"Bad.yml": "extends: existence\nmessage: x\nraw:\n  - '(?<=a)b'\n"})
    with pytest.raises(RuleError, match=rf"{style / 'Bad.yml'}:3: House.Bad: RE2 cannot compile"):
        load_vale_style(style)


def test_unknown_vale_level_lists_the_levels(tmp_path):
    style = write_style(tmp_path, "House", {"L.yml": "extends: existence\nmessage: x\nlevel: fatal\ntokens: [a]\n"})
    with pytest.raises(RuleError, match="Vale level 'fatal' is not one of: error, suggestion, warning"):
        load_vale_style(style)


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
    assert sorted(str(w.message).split(": ")[1] for w in record) == ["House.Caps", "House.Spelling"]
    assert [p.name for p in load_packs(vale=[style])] == ["House"]


def test_unsupported_keys_are_reported(tmp_path):
    style = write_style(
        tmp_path, "House",
        {"Hedge.yml": "extends: existence\nmessage: x\ntokens: [arguably]\nexceptions: [foo]\nscope: heading\n"},
    )
    pack = load_vale_style(style)
    assert [r.id for r in pack.rules] == ["House.Hedge"]
    assert pack.skipped == [
        f"{style / 'Hedge.yml'}:4: House.Hedge: note: Vale key 'exceptions' is not supported by postguard; ignored",
        f"{style / 'Hedge.yml'}:5: House.Hedge: note: Vale scope 'heading' is not supported; the whole post is checked",
    ]
