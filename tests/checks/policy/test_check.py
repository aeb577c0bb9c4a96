"""PolicyCheck: packs from the policy, per-rule off/severity, settings, and refusal of bad rules."""

from __future__ import annotations

import pytest

from postguard.checks.policy import PolicyCheck
from postguard.engine import Checker
from postguard.errors import PolicyError, RuleError
from postguard.policy import Policy, load_policy

PACKS = ["social", "servicedesk", "inclusive", "style"]


def checker(**policy_config) -> Checker:
    severity = policy_config.pop("severity", {})
    return Checker(policy=Policy(name="t", checks={"policy": {"packs": PACKS, **policy_config}}, severity=severity))


def found(report) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.severity.value, f.excerpt) for f in report.findings]


def test_default_policy_enables_all_four_packs():
    assert load_policy("default").checks["policy"] == {"enabled": True, "packs": PACKS}
    check = PolicyCheck(load_policy("default").enabled_checks()["policy"], load_policy("default"))
    assert {r.pack for r in check.rules} == set(PACKS)
    assert (check.name, check.needs_doc) == ("policy", False)


def test_findings_have_policy_rule_ids_and_category():
    report = checker().check("Slides attached (internal only). Our chairman says hi.")
    assert found(report) == [
        ("policy.social.confidential-marker", "block", "internal only"),
        ("policy.inclusive.gendered-terms", "info", "chairman"),
    ]
    assert {f.category for f in report.findings} == {"policy"}
    assert report.findings[1].suggestion == "chair"


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ({"social.confidential-marker": "off"}, [("policy.inclusive.gendered-terms", "info", "chairman")]),
        ({"policy.inclusive.gendered-terms": "block"}, [
            ("policy.social.confidential-marker", "block", "internal only"),
            ("policy.inclusive.gendered-terms", "block", "chairman"),
        ]),
        ({"inclusive.*": "off"}, [("policy.social.confidential-marker", "block", "internal only")]),
    ],
)
def test_rules_switch_off_or_change_severity(rules, expected):
    assert found(checker(rules=rules).check("Slides attached (internal only). Our chairman says hi.")) == expected


def test_engine_severity_overrides_apply_to_policy_rule_ids():
    c = checker(severity={"policy.inclusive.*": "warning", "policy.social.confidential-marker": "off"})
    assert found(c.check("Slides attached (internal only). Our chairman says hi.")) == [
        ("policy.inclusive.gendered-terms", "warning", "chairman"),
    ]


def test_settings_reach_the_rules_that_declare_them():
    c = checker(
        settings={
            "organisation": "Example City Council",
            "organisation_variants": ["Example council"],
            "internal_domains": ["hub.example.org"],
            "internal_systems": ["Northgate"],
            "embargoes": [{"terms": ["Project Heron"], "until": "2999-01-01T00:00:00Z"}],
            "ticket_pattern": r"\bSD-\d{5}\b",
        }
    )
    text = "Example council: Project Heron on https://hub.example.org/x while Northgate is down; SD-12345 for Mr Jones"
    assert found(c.check(text)) == [
        ("policy.style.organisation-name", "warning", "Example council"),
        ("policy.social.embargo", "block", "Project Heron"),
        ("policy.servicedesk.internal-link", "block", "https://hub.example.org/x"),
        ("policy.servicedesk.internal-system-name", "warning", "Northgate"),
        ("policy.servicedesk.ticket-with-name", "block", "SD-12345"),
    ]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"packs": ["social", "marketing"]}, "checks.policy.packs: pack 'marketing' is not one of: inclusive, servicedesk, social, style"),
        ({"packs": PACKS, "rulez": {}}, "checks.policy: setting 'rulez' is not one of: packs, paths, rules, settings, vale"),
        ({"packs": PACKS, "rules": {"social.nope": "off"}}, "checks.policy.rules: no loaded rule is called 'social.nope'"),
        ({"packs": PACKS, "rules": {"social.embargo": "loud"}}, "checks.policy.rules.social.embargo: 'loud' is not one of: block, info, off, warning"),
        ({"packs": ["style"], "settings": {"organization": "X"}}, "checks.policy.settings: setting 'organization' is not one of: organisation, organisation_variants"),
    ],
)
def test_invalid_configuration_lists_what_is_allowed(config, message):
    with pytest.raises(PolicyError) as exc:
        Checker(policy=Policy(name="t", checks={"policy": config}))
    assert str(exc.value).startswith(message)


def test_a_failing_rule_in_an_extra_pack_stops_the_checker_naming_the_rule(write_rule, tmp_path):
    write_rule(
        "local", "wrong",
        """
        kind: phrase
        message: m
        phrases: [foo]
        examples: {flag: ["[[foo]] bar"], pass: ["foo"]}
        """,
    )
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text("checks:\n  policy: {packs: [], paths: [rules/local]}\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"rules/local/wrong.yaml:4: rule local.wrong: pass example 'foo' failed"):
        Checker(policy=policy_file)


def test_plain_post_is_never_parsed_by_spacy():
    from postguard.parsing import parse
    from postguard.post import Post

    check = PolicyCheck({"packs": PACKS}, Policy(name="t"))
    parsed = parse(Post(text="Lovely day at the park with the family #Leeds https://example.org"))
    assert list(check.run(parsed)) == []
    assert not parsed.has_doc


def test_yaml_off_switches_a_rule_off_in_a_policy_file(tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        "extends: default\nchecks:\n  policy:\n    rules:\n      social.confidential-marker: off\n",
        encoding="utf-8",
    )
    check = PolicyCheck(load_policy(policy_file).enabled_checks()["policy"], load_policy(policy_file))
    ids = {r.id for r in check.rules}
    assert "social.confidential-marker" not in ids and "social.embargo" in ids



def _ungated(check: PolicyCheck, parsed) -> list:
    from postguard.checks.policy.rule import Target

    return [f for rule in check.rules for f in rule.find(Target(parsed))]


def test_rule_gate_skips_only_rules_that_cannot_match():
    from postguard.parsing import parse
    from postguard.post import Post

    policy = load_policy("default")
    check = PolicyCheck(policy.enabled_checks()["policy"], policy)
    assert {check.rules[i].kind for i in check.gate.gated} == {"pattern", "phrase"}
    assert check.gate.cannot_match("Library opening hours are unchanged this week.") == check.gate.gated
    # Every shipped example, flagged or passing, gives the same findings as running every rule.
    examples = [e for rule in check.rules for e in rule.examples]
    assert len(examples) > 100
    for example in examples:
        parsed = parse(Post(text=example.text, format=example.format))
        assert list(check.run(parsed)) == _ungated(check, parsed), example.text


def test_rule_gate_keeps_each_patterns_case_sensitivity(write_rule, tmp_path):
    write_rule("p", "exact", """
        kind: pattern
        pattern: 'ACME'
        message: m
        examples: {flag: ["[[ACME]] says"], pass: ["acme says"]}
    """)
    write_rule("p", "any", """
        kind: phrase
        phrases: [acme ltd]
        message: m
        examples: {flag: ["[[Acme Ltd]] says"], pass: ["Acme says"]}
    """)
    policy = Policy(name="t", checks={"policy": {"packs": [], "paths": [str(tmp_path / "rules" / "p")]}})
    check = PolicyCheck(policy.checks["policy"], policy)
    assert len(check.gate.gated) == 2

    def ids(text: str) -> list[str]:
        return sorted(f.rule_id for f in Checker(policy=policy).check(text).findings)

    assert ids("acme is fine") == []
    assert ids("ACME LTD again") == ["policy.p.any", "policy.p.exact"]
    assert ids("Acme Ltd") == ["policy.p.any"]


# An entity rule for a label the name gate is not trained for.
_ORG_RULE = """
        kind: entity
        entities: [ORG]
        context: [meets]
        message: m
        examples: {flag: ["[[The University Council]] meets today."], pass: ["The council meets today."]}
    """


def test_entity_rules_tell_the_parse_which_labels_they_read(write_rule, tmp_path):
    write_rule("p", "council", _ORG_RULE)
    policy = Policy(name="t", checks={"policy": {"packs": [], "paths": [str(tmp_path / "rules" / "p")]}})
    assert PolicyCheck(policy.checks["policy"], policy).entity_labels == {"ORG"}
    assert PolicyCheck({"packs": PACKS}, Policy(name="t")).entity_labels == {"PERSON"}


def test_an_org_rule_finds_its_org_where_the_name_gate_would_skip_the_sentence(write_rule, tmp_path):
    from postguard.ner_windows import GATED, windows
    from postguard.nlp import load_nlp

    text = "The Senate meets today."
    assert not windows(load_nlp().make_doc(text), GATED)  # the gate alone would leave it unread
    write_rule("p", "council", _ORG_RULE)
    write_rule("q", "person", """
        kind: entity
        entities: [PERSON]
        context: [meets]
        message: m
        examples: {flag: ["[[Priya Shah]] meets the team today."], pass: ["The council meets today."]}
    """)
    pii = {"pii": {"enabled": True}}
    for pack, expected in (("p", ["Senate"]), ("q", [])):
        paths = [str(tmp_path / "rules" / pack)]
        policy = Policy(name="t", checks={**pii, "policy": {"packs": [], "paths": paths}})
        checker = Checker(policy=policy)
        assert any(c.needs_doc for c in checker.checks_for(policy, "generic"))  # pii: the Doc is parsed
        findings = [f for f in checker.check(text).findings if f.rule_id.startswith("policy.")]
        assert [f.excerpt for f in findings] == expected
        assert all(text[f.start : f.end] == f.excerpt for f in findings)
