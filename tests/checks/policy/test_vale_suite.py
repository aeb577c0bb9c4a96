"""Vale's own test-suite format (features/*.feature over fixtures/) run against postguard.

``tests/data/vale/House`` holds postguard's fixtures, one per Vale rule type it runs; the other
folders are public styles with the parts of their suites the tests need (see their README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postguard.checks.policy.vale import load_vale_style
from postguard.checks.policy.vale_suite import Alert, Scenario, compare, read_features, run_scenario, run_suite

DATA = Path(__file__).resolve().parents[2] / "data" / "vale"
HOUSE = DATA / "House"
HOUSE_SCENARIOS = read_features(HOUSE)


@pytest.fixture(scope="module")
def house():
    return load_vale_style(HOUSE / "House")


def test_house_style_loads_whole():
    pack = load_vale_style(HOUSE / "House")
    assert pack.skipped == []
    assert sorted(pack.translated) == ["House.Colons", "House.Contractions"]
    assert {r.kind for r in pack.rules} == {
        "capitalization", "conditional", "consistency", "metric", "occurrence", "pattern", "repetition", "sequence", "spelling",
        "substitution",
    }


@pytest.mark.parametrize("scenario", HOUSE_SCENARIOS, ids=[s.fixture for s in HOUSE_SCENARIOS])
def test_house_fixtures_give_exactly_the_expected_alerts(house, scenario):
    outcome = run_scenario(scenario, house, HOUSE)
    assert outcome.ran
    assert [str(a) for a in outcome.found] == [str(a) for a in scenario.expected]


def test_features_are_read_with_their_alerts():
    [first, *_] = HOUSE_SCENARIOS
    assert first.fixture == "Hedging"
    assert first.expected[1] == Alert("test.md", 5, 4, "House.Hedging", "Consider removing 'appears to be'.")
    assert first.where.endswith("rules.feature:5")


def test_compare_matches_on_file_line_and_rule_and_counts_columns_apart():
    expected = [Alert("t.md", 3, 5, "S.R"), Alert("t.md", 4, 1, "S.R")]
    outcome = compare(Scenario("x", "x", expected, "f:1"), [Alert("t.md", 3, 6, "S.R"), Alert("t.md", 9, 1, "S.R")])
    assert outcome.missing == [expected[1]]
    assert outcome.extra == [Alert("t.md", 9, 1, "S.R")]
    assert outcome.matched == 1 and outcome.columns_agree == 0


def test_a_missing_fixture_is_reported_not_counted_as_passing(house):
    outcome = run_scenario(Scenario("gone", "NoSuchFixture", [Alert("test.md", 1, 1, "House.Hedging")], "f:1"), house, HOUSE)
    assert not outcome.ran and outcome.matched == 0


@pytest.mark.parametrize("style", ["Google", "Joblint", "Microsoft", "write-good"])
def test_public_styles_load_and_pass_most_of_their_suites(style):
    pack = load_vale_style(DATA / style / style)
    assert pack.rules and not [n for n in pack.skipped if ": skipped: " in n]
    ran = [o for o in run_suite(DATA / style, pack) if o.ran]
    expected = sum(o.expected for o in ran)
    matched = sum(o.matched for o in ran)
    extra = sum(len(o.extra) for o in ran)
    assert ran and matched / expected >= 0.8, [str(a) for o in ran for a in o.missing]
    assert matched / (matched + extra) >= 0.8, [str(a) for o in ran for a in o.extra]


def test_postguard_check_runs_the_microsoft_and_google_styles_their_lookarounds_included(tmp_path, capsys):
    from postguard.cli import main

    policy = tmp_path / "policy.yaml"
    styles = [str(DATA / "Microsoft" / "Microsoft"), str(DATA / "Google" / "Google")]
    policy.write_text(f"checks:\n  policy:\n    packs: []\n    vale: {styles}\n", encoding="utf-8")
    post = tmp_path / "post.txt"
    post.write_text("It is down. Tone: Calm. Note: Restart it.\n", encoding="utf-8")
    code = main(["check", str(post), "--policy", str(policy), "--color", "never"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line.split()[2] for line in lines] == ["policy.Microsoft.Contractions", "policy.Google.Colons"]
    assert lines[0].startswith(f"{post}:1:1 block policy.Microsoft.Contractions Use 'it's' instead of 'It is'.")


def test_rules_test_runs_a_vale_styles_own_suite(capsys):
    from postguard.cli import main

    assert main(["rules", "test", "--vale", str(HOUSE / "House")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "ok: House suite: 12 scenarios, 21/21 alerts found"
    assert main(["rules", "test", "--vale", str(DATA / "write-good" / "write-good")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "  + test.md:5:23:write-good.Weasel:'fairly' is a weasel word!" in lines
    assert lines[-1] == "FAILED: write-good suite: 4 scenarios, 5/5 alerts found: 1 failed scenarios"
