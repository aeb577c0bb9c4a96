"""DecisionLog on SQLite and PostgreSQL: migrations, idempotent records, retention, aggregation, no text."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import inspect, text

from postguard.decisions import Decision, DecisionLog

DAY = 86_400
T0 = 1_780_000_000 - 1_780_000_000 % DAY  # a UTC midnight


def _d(check_id: str, outcome: str, rules=(), *, at=T0, platform="x", policy="default", reason=None, acted=None):
    verdict = "pass" if outcome == "posted_clean" else "warn"
    triples = [(r, r.split(".")[0], "warning") for r in rules]
    return Decision.from_findings(
        triples, rule_ids=acted, check_id=check_id, outcome=outcome, at=at, platform=platform,
        policy=policy, verdict=verdict, reason=reason,
    )


#: Six decisions over two days and two platforms; the expected figures below are counted by hand.
SAMPLE = [
    _d("a", "edited", ["pii.email", "tone.anger"], acted=["pii.email"]),
    _d("b", "posted_anyway", ["pii.email"], reason="It is our public address"),
    _d("c", "posted_anyway", ["pii.email"], reason="it is our  public address", at=T0 + DAY),
    _d("d", "cancelled", ["tone.anger"], at=T0 + DAY, platform="mastodon"),
    _d("e", "posted_clean", at=T0 + DAY, platform="mastodon"),
    _d("f", "posted_anyway", ["policy.social.embargo"], reason="It is our public address", at=T0 + DAY),
]


@pytest.fixture
def log(database_url):
    store = DecisionLog(database_url, retention_days=100_000)
    yield store
    store.close()


def test_migrations_make_the_tables_and_run_again_harmlessly(database_url):
    DecisionLog(database_url).close()
    again = DecisionLog(database_url)  # a second start: nothing to do, same secret
    names = set(inspect(again.engine).get_table_names())
    assert {"postguard_decisions", "postguard_decision_rules", "postguard_meta", "postguard_alembic_version"} <= names
    with again.engine.connect() as conn:
        assert conn.execute(text("select version_num from postguard_alembic_version")).scalar() == "0001"
    first_secret = again.secret
    again.close()
    assert DecisionLog(database_url).secret == first_secret


def test_a_retried_decision_is_kept_once(log):
    assert log.record(SAMPLE[0]) is True
    assert log.record(SAMPLE[0]) is False
    assert log.stats().checks == 1


def test_stats_count_by_hand(log):
    assert log.record_many(SAMPLE) == 6
    s = log.stats()
    assert (s.checks, s.held, s.revised) == (6, 5, 2)
    assert s.outcomes.model_dump() == {"edited": 1, "posted_anyway": 3, "cancelled": 1, "posted_clean": 1}
    assert s.nudge_rate == 0.4
    rules = {r.rule_id: r for r in s.rules}
    email = rules["pii.email"]
    assert (email.fired, email.held, email.edited_away, email.posted_anyway, email.cancelled) == (3, 3, 1, 2, 0)
    assert email.nudge_rate == round(1 / 3, 4)
    anger = rules["tone.anger"]  # on "a" it stayed while the email went: not edited away
    assert (anger.held, anger.edited_away, anger.cancelled, anger.nudge_rate) == (2, 0, 1, 0.5)
    assert rules["policy.social.embargo"].nudge_rate == 0.0
    assert [r.rule_id for r in s.rules][0] == "pii.email"  # most often held first
    assert [(d.held, d.revised) for d in s.days] == [(2, 1), (3, 1)]
    assert s.days[0].day < s.days[1].day
    by_platform = {p.platform: p for p in s.platforms}
    assert (by_platform["x"].checks, by_platform["x"].held, by_platform["x"].posted_anyway) == (4, 4, 3)
    assert (by_platform["mastodon"].held, by_platform["mastodon"].nudge_rate) == (1, 1.0)
    # Whitespace is tidied when stored; case is the author's, so these are two reasons.
    assert [(r.reason, r.count) for r in s.reasons] == [
        ("It is our public address", 2), ("it is our public address", 1)
    ]


def test_stats_filters(log):
    log.record_many(SAMPLE)
    assert log.stats(since=T0 + DAY).checks == 4
    assert log.stats(until=T0 + DAY).checks == 2
    assert log.stats(platform="mastodon").checks == 2
    assert log.stats(policy="other").checks == 0
    assert log.stats(policy="other").nudge_rate is None


def test_retention_drops_old_decisions_and_their_rules(database_url):
    store = DecisionLog(database_url, retention_days=30)
    now = time.time()
    store.record(_d("old", "posted_anyway", ["pii.email"], at=int(now - 31 * DAY)))
    store.record(_d("new", "posted_anyway", ["pii.email"], at=int(now - DAY)))
    assert store.purge() == 1
    assert store.stats().checks == 1
    with store.engine.connect() as conn:
        assert conn.execute(text("select count(*) from postguard_decision_rules")).scalar() == 1
    store.close()


def test_user_keys_are_keyed_hashes(log):
    key = log.user_key("key:0123456789ab")
    assert key == log.user_key("key:0123456789ab") and len(key) == 16
    assert "0123456789ab" not in key and key != log.user_key("key:ba9876543210")
