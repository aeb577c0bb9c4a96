"""Tone: each pattern kind with true examples and near misses; model scores, sentences, rewrites."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_spans_exact, spans

import postguard
from postguard.checks.tone import ToneCheck, calmer
from postguard.errors import PolicyError
from postguard.findings import Finding, Score
from postguard.parsing import parse
from postguard.policy import Policy, load_policy
from postguard.post import Post


@pytest.fixture(scope="module")
def check() -> ToneCheck:
    """The tone check as the default policy configures it, plus a named supplier."""
    config = {k: v for k, v in load_policy().checks["tone"].items() if k != "enabled"}
    return ToneCheck({**config, "suppliers": ["Northwind Freight"]}, Policy(name="test"))


def found(check: ToneCheck, text: str, kind: str) -> list[str]:
    outputs = list(check.run(parse(Post(text=text))))
    findings = [o for o in outputs if isinstance(o, Finding)]
    assert_spans_exact(text, findings)
    return [excerpt for _, excerpt in spans(findings, f"tone.{kind}")]


PATTERNS = [
    # shouting: runs of capitals and piles of ! or ?
    ("shouting", "We are SO ANGRY about this.", ["SO ANGRY"]),
    ("shouting", "THIS IS NOT ACCEPTABLE", ["THIS IS NOT ACCEPTABLE"]),
    ("shouting", "Doors open at 9!!!", ["!!!"]),
    ("shouting", "Seriously?!?!", ["?!?!"]),
    ("shouting", "Join NASA and the BBC on TV at 9 GMT.", []),
    ("shouting", "The FAQ and the GDPR notice are on our website.", []),
    ("shouting", "Doors open at 9!", []),
    ("shouting", "Is the library open today?", []),
    ("shouting", "Welcome to our new CEO, Ada Lovelace.", []),
    # blame: customers or a named supplier
    ("blame", "It's your own fault for not reading the terms.", ["It's your own fault"]),
    ("blame", "You should have read the instructions before ordering.", ["You should have read"]),
    ("blame", "The outage was user error.", []),  # rules/servicedesk/dismissive-restart.yaml's
    ("blame", "Customers who can't read the FAQ keep emailing us.", ["Customers who can't read"]),
    ("blame", "Delays are due to Northwind Freight's incompetence.", ["due to Northwind Freight's incompetence"]),
    ("blame", "Our supplier let us down again.", ["Our supplier let us down"]),
    ("blame", "Blame Acme for the delay.", ["Blame Acme"]),
    ("blame", "You should have received a confirmation email.", []),
    ("blame", "It's your turn to win a prize!", []),
    ("blame", "Our supplier has delivered the new laptops.", []),
    ("blame", "Thanks to Northwind Freight for a speedy delivery.", []),
    # dismissive
    ("dismissive", "Just turn it off and on again.", []),  # rules/servicedesk/dismissive-restart.yaml's
    ("dismissive", "As we already said, the office is closed.", ["As we already said"]),
    ("dismissive", "As previously stated, refunds take 5 days.", ["As previously stated"]),
    ("dismissive", "Per my last email, the form is online.", ["Per my last email"]),
    ("dismissive", "Calm down, it's only a delay.", ["Calm down"]),
    ("dismissive", "Turn the router off, wait 30 seconds, then turn it on.", []),
    ("dismissive", "As we said we would, the new library opens today.", []),
    ("dismissive", "You'll find the details in our FAQ.", []),
]


@pytest.mark.parametrize(("kind", "text", "expected"), PATTERNS)
def test_pattern_kinds(check: ToneCheck, kind: str, text: str, expected: list[str]) -> None:
    assert found(check, text, kind) == expected


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("As we already said, the office is closed.", "As mentioned"),
        ("The office is closed, as we already said.", "as mentioned"),
    ],
)
def test_dismissive_suggestion_keeps_the_capital(check: ToneCheck, text: str, suggestion: str) -> None:
    (f,) = [o for o in check.run(parse(Post(text=text))) if isinstance(o, Finding) and o.rule_id == "tone.dismissive"]
    assert f.suggestion == suggestion


def test_shouting_suggests_sentence_case(check: ToneCheck) -> None:
    f = next(o for o in check.run(parse(Post(text="THIS IS NOT ACCEPTABLE"))) if isinstance(o, Finding))
    assert f.suggestion == "This is not acceptable"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I am absolutely furious, this is the most pathetic service I have ever had. Disgusting.", "anger"),
        ("Terrible news: our library is closing and dozens of staff will lose their jobs.", "negative"),
    ],
)
def test_model_finding_over_the_sentence(check: ToneCheck, text: str, kind: str) -> None:
    outputs = list(check.run(parse(Post(text=text))))
    findings = [o for o in outputs if isinstance(o, Finding) and o.rule_id == f"tone.{kind}"]
    assert len(findings) == 1
    f = findings[0]
    assert_spans_exact(text, [f])
    assert f.excerpt.endswith((".", "!")) and f.start in (0, text.index(f.excerpt))
    assert f.score is not None and f.score >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for your patience: the service is back and running normally.",
        "The library opens at 9am on Saturday. Everyone is welcome.",
        "Congratulations to our graduates! We are so proud of you all.",
        "The new timetable starts on Monday.",
    ],
)
def test_calm_posts_have_no_model_findings(check: ToneCheck, text: str) -> None:
    outputs = list(check.run(parse(Post(text=text))))
    assert [o.rule_id for o in outputs if isinstance(o, Finding)] == []
    assert {o.name for o in outputs if isinstance(o, Score)} == {"anger", "negative", "sarcasm"}


# What an IT service desk posts: outages, maintenance, restored services, reminders, apologies.
CALM_ANNOUNCEMENTS = [
    "All services are running normally. Thanks for your patience.",
    "We are aware of an issue affecting email. Engineers are investigating and we will update by 3pm.",
    "Printing is unavailable in the Edge building until further notice.",
    "The VPN is down for some users. We are working on it and will post an update within the hour.",
    "Wi-Fi in the library is slow this morning; our network team is looking into it.",
    "Planned maintenance: Moodle will be offline on Sunday from 6am to 9am.",
    "Reminder: the service desk closes at 5pm on Friday for the bank holiday weekend.",
    "Resolved: staff can log in to the payroll system again.",
    "We apologise for the disruption to Teams calls yesterday afternoon.",
    # Residual false flags (the benchmark's calm service-desk set: ~0.3 % anger, ~4 % negative):
    pytest.param("Sorry for the delay in replying to tickets this week; we are catching up.",
                 marks=pytest.mark.xfail(reason="apologies read as negative (info) to a tweet-trained head",
                                         strict=True)),
    pytest.param("Phones in the Arts Tower are not working. Please use email or Teams until they are back.",
                 marks=pytest.mark.xfail(reason="anger, negative and emotional all just above 0.5", strict=True)),
    "Update: the fault with the student portal has been fixed. Thank you for bearing with us.",
    "Exam results will be published on the portal at 10am tomorrow.",
]


@pytest.mark.parametrize("text", CALM_ANNOUNCEMENTS)
def test_calm_announcements_have_no_model_findings(text: str) -> None:
    report = postguard.check(text)
    model_rules = {"tone.anger", "tone.negative", "tone.sarcasm"}
    assert [f.rule_id for f in report.findings if f.rule_id in model_rules or f.category == "toxicity"] == []


ANGRY = [
    "I am absolutely furious, this is the most pathetic service I have ever had. Disgusting.",
    "Why is the wifi down AGAIN? This is a joke, sort it out",
    "I'm so angry with you, three days without email and not a single word from anyone",
    "Fuming. Your useless helpdesk hung up on me twice today.",
    "This is outrageous, I hate how you treat your students",
]


@pytest.mark.parametrize("text", ANGRY)
def test_angry_posts_still_flagged(check: ToneCheck, text: str) -> None:
    assert found(check, text, "anger"), text


def test_anger_needs_negative_and_emotional_to_agree(check: ToneCheck) -> None:
    """The shipped anger score is capped by the `emotional` and `negative` heads (joint evidence)."""
    model = check.model
    texts = [t if isinstance(t, str) else t.values[0] for t in CALM_ANNOUNCEMENTS] + ANGRY
    p = model.predict(texts)
    assert np.all(p["anger"] <= np.minimum(p["negative"], p["emotional"]) + 1e-6)


def test_anger_finding_in_the_angry_sentence_of_several(check: ToneCheck) -> None:
    text = "The new timetable starts on Monday. I am furious and disgusted at this pathetic, useless service!"
    f = [o for o in check.run(parse(Post(text=text))) if isinstance(o, Finding) and o.rule_id == "tone.anger"]
    assert [x.excerpt for x in f] == [text[text.index("I am") :]]


def test_calmer_rewrite() -> None:
    assert calmer("This is RIDICULOUS!!!") == "This is disappointing."
    assert calmer("We are absolutely furious about this stupid delay") == "We are very concerned about this unhelpful delay"
    assert calmer("Thanks for the update") == "Thanks for the update"


def test_thresholds_and_severity_from_policy() -> None:
    text = "I am absolutely furious, this is the most pathetic service I have ever had. Disgusting."
    strict = ToneCheck({"thresholds": {"anger": None, "negative": None, "sarcasm": None}}, Policy(name="t"))
    assert not [o for o in strict.run(parse(Post(text=text))) if isinstance(o, Finding)]
    loud = ToneCheck({"severity": {"shouting": "block"}}, Policy(name="t"))
    f = next(o for o in loud.run(parse(Post(text="STOP THIS NOW"))) if isinstance(o, Finding)
             and o.rule_id == "tone.shouting")
    assert f.severity.value == "block"


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"thresholds": {"rage": 0.5}}, "allowed: ['anger', 'negative', 'sarcasm']"),
        ({"thresholds": {"anger": 2}}, "checks.tone.thresholds.anger"),
        ({"severity": {"yelling": "info"}}, "checks.tone.severity: 'yelling' is not one of: anger, blame"),
        ({"severity": {"blame": "loud"}}, "checks.tone.severity.blame: 'loud' is not one of: block, info, warning"),
        ({"colour": "blue"}, "unknown setting 'colour' is not one of: acronyms, severity, suppliers, thresholds"),
        ({"suppliers": "Acme"}, "list of names"),
    ],
)
def test_invalid_config(config: dict, fragment: str) -> None:
    with pytest.raises(PolicyError, match=None) as exc:
        ToneCheck(config, Policy(name="t"))
    assert fragment in str(exc.value)


def test_through_the_public_api_with_the_default_policy() -> None:
    text = "As we already said, it will definitely be fixed by 5pm!!!"
    report = postguard.check(text)
    rules = {f.rule_id for f in report.findings}
    assert {"tone.dismissive", "tone.shouting", "policy.social.promised-date"} <= rules
    assert {"anger", "negative", "sarcasm", "toxicity"} <= set(report.scores)
    reports = postguard.Checker().check_many([text, "The new timetable starts on Monday."])
    assert [r.scores["anger"] for r in reports] == [report.scores["anger"], reports[1].scores["anger"]]
    assert not [f for f in reports[1].findings if f.category == "tone"]


EXTRA_PHRASES = [
    "Thanks to customers ignoring the notice, the queue is long.", "PEBKAC, as usual.",
    "If only users had read the guide.", "Operator error again.", "It was all Acme's fault.",
    "The vendor's negligence caused the outage.", "Our courier dropped the ball.",
    "Zero risk, risk-free and 100% uptime.", "It will certainly be back by Monday.",
    "Absolutely fixed by noon.", "We guarantee it.", "I promise you that.",
    "With all due respect, no.", "It's not rocket science.", "Obviously you didn't check.",
    "We have told you already.", "Just read the FAQ.", "Deal with it.", "Have you tried switching it off and on again?",
]


def test_word_gates_never_hide_a_phrase_finding(check: ToneCheck) -> None:
    calm = [t if isinstance(t, str) else t.values[0] for t in CALM_ANNOUNCEMENTS]
    texts = [t for _, t, _ in PATTERNS] + calm + ANGRY + EXTRA_PHRASES
    texts += [t.upper() for t in texts] + [t.title() for t in texts]

    def findings(text: str) -> list[tuple[str, int, int]]:
        return [(o.rule_id, o.start, o.end) for o in check.run(parse(Post(text=text))) if isinstance(o, Finding)]

    try:
        gated = [findings(t) for t in texts]
        check.gated = False
        assert gated == [findings(t) for t in texts]
    finally:
        check.gated = True
    assert sum(any(r in ("tone.blame", "tone.dismissive") for r, _, _ in f) for f in gated) > 40


@pytest.mark.parametrize(
    "text",
    [
        "Please use email or Teams until they are back.",
        "Having trouble with your account?",
        "@jo We know the outage is frustrating. Our engineers are on it and we'll update at 2pm.",
        "@jo That sounds really frustrating, sorry. Could you DM us the error?",
    ],
)
def test_calm_official_posts_draw_no_warning(text: str) -> None:
    report = postguard.check(text)
    assert report.verdict == "pass", [(f.rule_id, f.excerpt, f.severity) for f in report.findings]


def test_anger_warns_from_its_calibrated_score(check: ToneCheck) -> None:
    text = "I am absolutely furious, this is the most pathetic service I have ever had. Disgusting."
    (f,) = [o for o in check.run(parse(Post(text=text))) if isinstance(o, Finding) and o.rule_id == "tone.anger"]
    assert f.severity == "warning" and f.score >= check.warn_from["anger"]
    mild = ToneCheck({"warn_from": {"anger": 1.0}}, Policy(name="t"))
    (g,) = [o for o in mild.run(parse(Post(text=text))) if isinstance(o, Finding) and o.rule_id == "tone.anger"]
    assert g.severity == "info" and (g.start, g.end) == (f.start, f.end)


@pytest.mark.parametrize("warn_from", [{"rage": 0.5}, {"anger": 0}, {"anger": "high"}])
def test_invalid_warn_from(warn_from) -> None:
    with pytest.raises(PolicyError, match="warn_from"):
        ToneCheck({"warn_from": warn_from}, Policy(name="t"))


@pytest.mark.parametrize(
    "text", ["Just turn it off and on again.", "Classic user error.", "PEBKAC, as usual."]
)
def test_restart_and_user_error_phrases_have_one_home(text: str) -> None:
    rules = [f.rule_id for f in postguard.check(text).findings]
    assert "policy.servicedesk.dismissive-restart" in rules
    assert not [r for r in rules if r in ("tone.dismissive", "tone.blame")]


@pytest.mark.parametrize(
    "text", ["It will definitely be fixed by 5pm.", "We guarantee it.", "Our platform is 100% secure."]
)
def test_promises_have_one_home(text: str) -> None:
    rules = [f.rule_id for f in postguard.check(text).findings]
    assert rules.count("policy.social.promised-date") == 1
    assert not [r for r in rules if r.startswith("tone.") and r not in ("tone.anger", "tone.negative", "tone.sarcasm")]
