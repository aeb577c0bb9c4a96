import pytest

import postguard
from postguard import Checker, InputError, PolicyError, Post, TextTooLongError
from postguard.checks.base import BaseCheck, register_check
from postguard.engine import make_post
from postguard.findings import Score
from postguard.policy import Policy

from helpers import assert_spans_exact


class WordCheck(BaseCheck):
    """Flags a configured word; used to test the engine's plumbing without models."""

    name = "word"
    needs_doc = False

    def run(self, parsed):
        word = self.config.get("word", "bad")
        start = parsed.text.find(word)
        while start != -1:
            yield parsed.finding(
                start, start + len(word), rule_id="test.word", category="policy",
                severity=self.config.get("severity", "warning"), message=f"{word!r} found",
                suggestion="good",
            )
            start = parsed.text.find(word, start + 1)
        yield Score(name="words", value=0.5)


class DocCheck(BaseCheck):
    name = "doc"
    needs_doc = True
    seen: list = []

    def run(self, parsed):
        DocCheck.seen.append(parsed.doc)
        return []


register_check("word", WordCheck)
register_check("doc", DocCheck)


def policy(**checks) -> Policy:
    return Policy(name="test", checks=checks)


def test_check_returns_a_report_with_the_verdict_and_scores():
    checker = Checker(policy(word={"word": "bad"}))
    report = checker.check("a bad day")
    assert report.verdict == "warn"
    assert [(f.rule_id, f.excerpt, f.start, f.end) for f in report.findings] == [("test.word", "bad", 2, 5)]
    assert report.scores == {"words": 0.5}
    assert set(report.timings_ms) >= {"parse", "word"}
    assert report.policy == "test"
    assert report.version == postguard.__version__


def test_only_info_findings_still_pass():
    report = Checker(policy(word={"word": "bad", "severity": "info"})).check("bad")
    assert report.findings and report.verdict == "pass"


def test_severity_overrides_by_rule_glob_and_category():
    base = {"word": {"word": "bad"}}
    assert Checker(Policy(name="p", checks=base, severity={"test.word": "block"})).check("bad").verdict == "block"
    assert Checker(Policy(name="p", checks=base, severity={"test.*": "info"})).check("bad").verdict == "pass"
    assert Checker(Policy(name="p", checks=base, severity={"policy": "off"})).check("bad").findings == ()
    # the exact id beats the category
    pol = Policy(name="p", checks=base, severity={"policy": "off", "test.word": "block"})
    assert Checker(pol).check("bad").verdict == "block"


def test_check_many_batches_and_keeps_order():
    checker = Checker(policy(word={"word": "bad"}, doc={}))
    DocCheck.seen.clear()
    texts = ["bad one", "fine", "", "bad bad", "   "]
    reports = checker.check_many(texts)
    assert [len(r.findings) for r in reports] == [1, 0, 0, 2, 0]
    assert len(DocCheck.seen) == len(texts)
    assert all(r.verdict in ("pass", "warn") for r in reports)
    assert checker.check_many([]) == []


def test_the_doc_is_made_only_when_a_check_needs_it():
    checker = Checker(policy(word={}))
    post = Post(text="bad")
    reports = checker.run_posts([post])
    assert "nlp" not in reports[0].timings_ms


def test_disabled_checks_do_not_run():
    checker = Checker(policy(word={"enabled": False}))
    assert checker.check("bad").findings == ()


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "\u202e\u202d", "\x00\x01\x02", "\ud800 lone", "a" * 5000, "🙂" * 300, "\u200b" * 50],
)
def test_bad_input_gets_a_report(text):
    report = Checker(policy(word={"word": "a"})).check(text, platform="x")
    assert_spans_exact(text, report.findings)
    report.to_json()


def test_text_over_the_maximum_is_a_clear_error():
    checker = Checker(Policy(name="small", max_text_length=10))
    with pytest.raises(TextTooLongError, match="at most 10"):
        checker.check("x" * 11)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"platform": "myspace"}, "'myspace' is not one of: blog, bluesky, generic"),
        ({"format": "rtf"}, "'rtf' is not one of: html, markdown, plain"),
        ({"metadata": {"colour": "red"}}, "invalid metadata"),
        ({"policy": "no-such-policy"}, "'no-such-policy' is not one of: default"),
    ],
)
def test_unknown_options_are_clear_errors(kwargs, message):
    with pytest.raises((InputError, PolicyError), match=message):
        Checker(policy()).check("hello", **kwargs)


def test_one_place_builds_a_post_for_the_library_and_the_service():
    small = Policy(name="small", max_text_length=10)
    post = make_post("hi", "markdown", "twitter", {"account": "@desk"}, small)
    assert (post.format, post.platform, post.metadata.account) == ("markdown", "x", "@desk")
    with pytest.raises(TextTooLongError, match=r"^item 2: the text is 11 characters; at most 10 .*'small'"):
        make_post("x" * 11, "plain", "generic", None, small, where="item 2: the text")
    with pytest.raises(TextTooLongError, match=r"at most 5 are allowed \(this service's max_text_length\)"):
        make_post("x" * 6, "plain", "generic", None, small, max_length=5)
    with pytest.raises(InputError, match="'rtf' is not one of"):
        make_post("hi", "rtf", "generic", None, small)


def test_non_string_text_is_an_input_error():
    with pytest.raises(InputError, match="must be a string"):
        Checker(policy()).check(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="list of texts"):
        Checker(policy()).check_many("one string")  # type: ignore[arg-type]


def test_unknown_check_lists_the_valid_ones():
    with pytest.raises(PolicyError, match="unknown check 'nope' is not one of: .*platform"):
        Checker(policy(nope={}))


def test_module_level_check_uses_the_default_policy():
    report = postguard.check("Hello from the service desk", platform="x")
    assert report.policy == "default"
    assert report.platform == "x"


class EchoCheck(BaseCheck):
    """Yields the findings it is configured with, to test how the engine merges them."""

    name = "echo"
    needs_doc = False

    def run(self, parsed):
        for rule_id, category, severity, start, end, *entity in self.config["findings"]:
            yield parsed.finding(
                start, end, rule_id=rule_id, category=category, severity=severity, message="m",
                entity=entity[0] if entity else None,
            )


register_check("echo", EchoCheck)


def test_every_finding_is_kept_and_duplicates_of_one_concept_merge():
    found = [
        ("policy.pack.password", "policy", "block", 0, 7, "PASSWORD"),
        ("secret.password", "secret", "block", 0, 7, "PASSWORD"),
        ("tone.anger", "tone", "warning", 8, 12),
        ("profanity.mild", "profanity", "info", 8, 12),
        ("policy.pack.other", "policy", "info", 0, 12),
    ]
    report = Checker(policy(echo={"findings": found})).check("hunter2 damn it")
    assert [(f.rule_id, f.start, f.end, f.also_found_by) for f in report.findings] == [
        ("secret.password", 0, 7, ("policy.pack.password",)),
        ("policy.pack.other", 0, 12, ()),
        ("profanity.mild", 8, 12, ()),
        ("tone.anger", 8, 12, ()),
    ]
    assert report.verdict == "block"
    [g] = report.groups  # one highlight over all of it, most severe reason first
    assert (g.start, g.end, g.severity.value) == (0, 12, "block")
    assert g.findings == ("secret.password@0-7", "tone.anger@8-12", "policy.pack.other@0-12", "profanity.mild@8-12")


def test_the_report_keeps_anger_where_toxicity_covers_the_same_words():
    """A caller asking "is this angry?" gets yes even where an insult was found over the same sentence."""
    found = [("toxicity.insult", "toxicity", "warning", 0, 15), ("tone.anger", "tone", "warning", 0, 15)]
    report = Checker(policy(echo={"findings": found})).check("hunter2 damn it")
    assert {f.rule_id for f in report.findings} == {"toxicity.insult", "tone.anger"}
    assert len(report.groups) == 1


def test_a_password_found_by_the_detector_and_the_policy_pack_is_one_finding():
    report = postguard.check("Your account is unlocked: password is Winter2024!")
    found = [f for f in report.findings if f.category in ("secret", "policy")]
    assert [(f.rule_id, f.also_found_by) for f in found] == [("secret.password", ("policy.servicedesk.password",))]
    assert report.verdict == "block"
    # the span covers the whole password, its "!" included
    assert report.apply_suggestions("Your account is unlocked: password is Winter2024!").endswith(
        "password is [password removed]"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Forgotten it? Reset it yourself at https://password.example.org/reset any time.",
        "Having trouble with your account? Sign in at https://login.example.ac.uk and choose 'Forgot password'.",
        "Recover your account here: https://support.example.com/recover-account?hl=en",
        "Flight status here: http://example.com/flightstatus",
    ],
)
def test_public_self_service_links_hold_no_post(text):
    report = postguard.check(text)
    assert report.verdict == "pass", [(f.rule_id, f.excerpt) for f in report.findings]


def test_a_reset_link_with_a_token_still_blocks():
    report = postguard.check("Use https://sso.example.org/reset?token=abc123xyz to get back in")
    assert report.verdict == "block"
    [f] = [f for f in report.findings if f.entity == "RESET_LINK"]
    assert "policy.servicedesk.reset-link" in (f.rule_id, *f.also_found_by)


@pytest.mark.parametrize(
    ("text", "kept", "agreed"),
    [
        ("Try the print server at 10.20.4.15", "policy.servicedesk.private-address", "secret.private_ip"),
        ("Payroll is down because sql-prd-02.corp ran out of disk", "policy.servicedesk.internal-host",
         "secret.internal_host"),
        ("PIN = 4921 for the door", "secret.otp_code", "policy.servicedesk.one-time-code"),
    ],
)
def test_pack_rules_that_repeat_a_detector_merge_with_it(text, kept, agreed):
    found = [f for f in postguard.check(text).findings if f.category in ("secret", "policy")]
    assert [(f.rule_id, f.also_found_by) for f in found] == [(kept, (agreed,))]


def test_platforms_share_a_check_whose_settings_they_leave_alone():
    """The service builds every policy for every platform at start: one check per distinct setting."""
    from postguard.platforms import platform_names

    checker = Checker()
    policy = checker.policy
    built = {p: {c.name: c for c in checker.checks_for(policy, p)} for p in platform_names()}
    pairs = 0
    for a in built:
        for b in built:
            for name in built[a].keys() & built[b].keys():
                same = policy.enabled_checks(a)[name] == policy.enabled_checks(b)[name]
                assert (built[a][name] is built[b][name]) == same, (name, a, b)
                pairs += same and a != b
    assert pairs  # some are shared


def test_the_parse_reads_the_entity_labels_of_the_checks_that_read_the_doc():
    from postguard.checks.base import entity_labels

    class Names(WordCheck):
        needs_doc = True
        entity_labels = frozenset({"PERSON"})

    class Anything(WordCheck):
        needs_doc = True

    class Orgs(WordCheck):
        entity_labels = frozenset({"ORG"})

    policy = Policy(name="t")
    word, names, anything, orgs = (c({}, policy) for c in (WordCheck, Names, Anything, Orgs))
    assert entity_labels([word]) == frozenset()
    assert entity_labels([word, names]) == {"PERSON"}
    assert entity_labels([names, orgs]) == {"PERSON", "ORG"}
    assert entity_labels([names, anything, orgs]) is None  # a check that says nothing may read any
