import pytest

from postguard import InputError, Report
from postguard.findings import Finding


def f(start, end, text, suggestion, rule="r.x", severity="warning"):
    return Finding(
        rule_id=rule, category="policy", severity=severity, start=start, end=end,
        excerpt=text[start:end], message="m", suggestion=suggestion,
    )


TEXT = "Email jane@uni.ac.uk or call 07700 900123 now"


def test_verdict_is_the_highest_severity():
    assert Report().verdict == "pass"
    assert Report(findings=(f(0, 5, TEXT, None, severity="info"),)).verdict == "pass"
    assert Report(findings=(f(0, 5, TEXT, None), f(6, 9, TEXT, None, severity="info"))).verdict == "warn"
    assert Report(findings=(f(0, 5, TEXT, None, severity="block"),)).verdict == "block"


def test_apply_all_suggestions_right_to_left():
    a = f(6, 20, TEXT, "[email removed]", rule="pii.email")
    b = f(29, 41, TEXT, "077** ******", rule="pii.phone")
    report = Report(findings=(a, b))
    assert report.apply_suggestions(TEXT) == "Email [email removed] or call 077** ****** now"
    assert report.apply_suggestions(TEXT, [b.id]) == "Email jane@uni.ac.uk or call 077** ****** now"
    assert report.apply_suggestions(TEXT, []) == TEXT


def test_overlapping_suggestions_never_mix():
    whole = f(6, 20, TEXT, "[email removed]", rule="pii.email")
    part = f(11, 20, TEXT, "example.org", rule="policy.domain")
    assert Report(findings=(whole, part)).apply_suggestions(TEXT) == "Email [email removed] or call 07700 900123 now"


def test_unknown_ids_and_changed_text_are_errors():
    a = f(6, 20, TEXT, "[email removed]")
    report = Report(findings=(a,))
    with pytest.raises(InputError, match="unknown finding id"):
        report.apply_suggestions(TEXT, ["nope@1-2"])
    with pytest.raises(InputError, match="text has changed"):
        report.apply_suggestions("something else entirely, and longer than before", None)


def test_finding_rejects_inconsistent_spans():
    with pytest.raises(ValueError):
        Finding(rule_id="r", category="pii", severity="info", start=5, end=2, excerpt="", message="m")
    with pytest.raises(ValueError):
        Finding(rule_id="r", category="nope", severity="info", start=0, end=1, excerpt="a", message="m")
    with pytest.raises(ValueError):
        Finding(rule_id="r", category="pii", severity="fatal", start=0, end=1, excerpt="a", message="m")


def test_json_round_trip():
    report = Report(findings=(f(6, 20, TEXT, "[email removed]"),), scores={"toxicity": 0.1})
    again = Report.model_validate_json(report.to_json())
    assert again.findings == report.findings
    assert again.verdict == "warn"


def test_a_blocking_fix_wins_over_a_longer_note_around_it():
    note = f(0, 41, TEXT, "Write to us", rule="tone.negative", severity="info")
    email = f(6, 20, TEXT, "[email removed]", rule="pii.email", severity="block")
    phone = f(29, 41, TEXT, "077** ******", rule="pii.phone", severity="warning")
    assert Report(findings=(note, email, phone)).apply_suggestions(TEXT) == (
        "Email [email removed] or call 077** ****** now"
    )


def test_insertions_at_one_point_apply_once():
    a = f(5, 5, TEXT, " (a)", rule="r.a")
    b = f(5, 5, TEXT, " (b)", rule="r.b")
    assert Report(findings=(a, b)).apply_suggestions(TEXT) == "Email (a) jane@uni.ac.uk or call 07700 900123 now"
