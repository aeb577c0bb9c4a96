"""Overlapping findings: duplicates of one concept merged, everything else kept and grouped."""

import pytest

from postguard.findings import Finding, Severity
from postguard.overlaps import group, is_duplicate, merge_duplicates

TEXT = "Your temporary password is Winter2024! so stop moaning, idiot, and email jane@uni.ac.uk"


def f(excerpt, rule, category="policy", severity="warning", entity=None, nth=0, link=None):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(excerpt, start + 1)
    return Finding(
        rule_id=rule, category=category, severity=severity, start=start, end=start + len(excerpt),
        excerpt=excerpt, message=f"{rule} says so", entity=entity, link=link,
    )


SECRET = f("Winter2024!", "secret.password", "secret", "block", "PASSWORD")
POLICY = f("temporary password is Winter2024!", "policy.servicedesk.password", "policy", "block", "PASSWORD",
           link="https://postguard.invalid/policy/servicedesk#credentials")
ANGER = f("so stop moaning, idiot", "tone.anger", "tone", "warning")
INSULT = f("idiot", "toxicity.insult", "toxicity", "warning")
EMAIL = f("jane@uni.ac.uk", "pii.email_address", "pii", "warning", "EMAIL_ADDRESS")


def test_same_concept_over_nearly_the_same_words_is_one_finding():
    assert is_duplicate(SECRET, POLICY)
    [merged] = merge_duplicates([POLICY, SECRET])
    # The built-in detector speaks (narrower span, its redaction); the rule that agreed is named,
    # and the organisation's policy clause stays linked.
    assert (merged.rule_id, merged.excerpt, merged.severity.value) == ("secret.password", "Winter2024!", "block")
    assert merged.also_found_by == ("policy.servicedesk.password",)
    assert merged.link == POLICY.link


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (ANGER, INSULT),  # different concepts over the same words: both kept
        (SECRET, EMAIL),  # far apart
        (EMAIL, f("jane@uni.ac.uk", "policy.x.email", entity="PHONE_NUMBER")),  # another entity
        # the same entity, but the shorter span is mostly outside the longer one
        (f("Winter2024", "secret.password", "secret", entity="PASSWORD"),
         f("password is W", "policy.p", entity="PASSWORD")),
    ],
)
def test_not_duplicates(a, b):
    assert not is_duplicate(a, b)
    assert len(merge_duplicates([a, b])) == 2


def test_higher_severity_wins_a_merge_so_the_verdict_never_drops():
    weak = SECRET.model_copy(update={"severity": Severity.WARNING})
    [merged] = merge_duplicates([weak, POLICY])
    assert merged.rule_id == "policy.servicedesk.password" and merged.severity.value == "block"
    assert merged.also_found_by == ("secret.password",)


def test_two_style_guides_with_the_same_fix_for_the_same_words_are_one_finding():
    ms = f("stop", "policy.Microsoft.Verbs", severity="block").model_copy(update={"suggestion": "please stop"})
    google = ms.model_copy(update={"rule_id": "policy.Google.Verbs", "severity": Severity.INFO})
    other_fix = google.model_copy(update={"suggestion": "halt"})
    assert [(x.rule_id, x.also_found_by) for x in merge_duplicates([google, ms])] == [
        ("policy.Microsoft.Verbs", ("policy.Google.Verbs",))
    ]
    assert len(merge_duplicates([ms, other_fix])) == 2
    # Anger and negativity with one rewrite of one sentence are two findings: callers ask for each.
    anger = ANGER.model_copy(update={"suggestion": "calmer"})
    negative = anger.model_copy(update={"rule_id": "tone.negative", "severity": Severity.INFO})
    assert len(merge_duplicates([anger, negative])) == 2


def test_one_rule_twice_at_one_span_is_kept_once():
    assert merge_duplicates([EMAIL, EMAIL]) == [EMAIL]


def test_overlapping_findings_form_one_group_most_severe_first():
    groups = group([EMAIL, INSULT, ANGER, SECRET, POLICY])
    assert [(TEXT[g.start : g.end], g.severity.value) for g in groups] == [
        ("temporary password is Winter2024!", "block"),
        ("so stop moaning, idiot", "warning"),
        ("jane@uni.ac.uk", "warning"),
    ]
    assert groups[0].findings == (POLICY.id, SECRET.id)
    assert groups[1].findings == (ANGER.id, INSULT.id)
    assert groups[2].findings == (EMAIL.id,)


def test_touching_spans_are_separate_groups_and_an_empty_span_joins_what_covers_it():
    a = f("stop", "r.a")
    b = f(" moaning", "r.b")
    at = a.end + 3
    caret = Finding(rule_id="r.c", category="policy", severity="info", start=at, end=at, excerpt="", message="m")
    groups = group([a, b, caret])
    assert [g.findings for g in groups] == [(a.id,), (b.id, caret.id)]


def test_many_findings_merge_in_linear_time():
    """A long post with thousands of findings: duplicates are only looked for among one entity or rule."""
    import time

    long = [
        Finding(rule_id=f"r.{i % 7}", category="policy", severity="warning", start=i * 10, end=i * 10 + 5,
                excerpt="xxxxx", message="m", entity="PASSWORD" if i % 50 == 0 else None)
        for i in range(5000)
    ]
    t = time.perf_counter()
    assert len(merge_duplicates(long + long)) == 5000
    assert time.perf_counter() - t < 1.0  # 0.09 s; comparing every pair took 10 s


def test_many_findings_of_one_entity_merge_in_linear_time():
    """5,000 addresses of one entity (a post of IP addresses): each is compared only with its neighbours."""
    import time

    ips = [
        Finding(rule_id="secret.private_ip", category="secret", severity="warning", start=i * 10, end=i * 10 + 8,
                excerpt="10.0.0.1", message="m", entity="PRIVATE_IP")
        for i in range(5000)
    ]
    t = time.perf_counter()
    assert len(merge_duplicates(ips + ips)) == 5000
    assert time.perf_counter() - t < 1.0  # 0.05 s; comparing with every kept one took 7.6 s


def _merged_by_comparing_all(findings):
    """merge_duplicates as it was when every kept finding of the entity was compared: the reference."""
    from postguard.overlaps import priority

    out, same_rule, same_entity = [], {}, {}
    for x in sorted(findings, key=priority, reverse=True):
        i = same_rule.get((x.rule_id, x.start, x.end))
        if i is None and x.entity is not None:
            i = next((i for i in same_entity.get(x.entity, ()) if is_duplicate(out[i], x)), None)
        if i is None:
            same_rule[(x.rule_id, x.start, x.end)] = len(out)
            same_entity.setdefault(x.entity, []).append(len(out))
            out.append(x)
        else:
            also = (*out[i].also_found_by, x.rule_id, *x.also_found_by)
            out[i] = out[i].model_copy(update={"also_found_by": tuple(dict.fromkeys(r for r in also if r != out[i].rule_id))})
    return sorted(out, key=lambda x: (x.start, x.end, x.rule_id, x.also_found_by))


def test_neighbours_find_the_same_duplicates_as_comparing_all():
    """Random spans of two entities, long and empty ones included: the same merged findings."""
    import random

    rng = random.Random(7)
    for _ in range(200):
        found = []
        for k in range(rng.randint(1, 12)):
            start = rng.randint(0, 40)
            end = start + rng.choice([0, 1, 2, 5, 9, 30])
            found.append(Finding(rule_id=f"r.{k % 4}", category=rng.choice(["secret", "pii"]), severity="warning",
                                 start=start, end=end, excerpt="x" * (end - start), message="m",
                                 entity=rng.choice(["PASSWORD", "PRIVATE_IP"])))
        got = sorted(merge_duplicates(found), key=lambda x: (x.start, x.end, x.rule_id, x.also_found_by))
        assert got == _merged_by_comparing_all(found)
