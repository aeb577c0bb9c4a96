"""POST /v1/decisions and GET /v1/stats on SQLite and PostgreSQL: check ids, retries, scopes, no text kept."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from service_helpers import assert_error

MARKER = "zqxmarker4471"
DRAFT = f"Email jane.doe@example.com about {MARKER}, it is awful and stupid"


@pytest.fixture
def api(make_client, database_url):
    return make_client(database_url=database_url)


def _check(client, text=DRAFT, **extra):
    r = client.post("/v1/check", json={"text": text, "platform": "x", **extra})
    assert r.status_code == 200, r.text
    return r.json()


def test_checks_carry_a_check_id_with_rule_ids_and_no_text(api):
    report = _check(api)
    assert report["verdict"] in ("warn", "block")
    payload = json.loads(base64.urlsafe_b64decode(report["check_id"].split(".")[0] + "=="))
    assert {tuple(r) for r in payload["f"]} == {(f["rule_id"], f["category"], f["severity"]) for f in report["findings"]}
    assert MARKER not in json.dumps(payload) and "jane" not in json.dumps(payload)
    utf16 = api.post("/v1/check?offsets=utf16", json={"text": "hi"}).json()
    assert utf16["check_id"]
    batch = api.post("/v1/check/batch", json={"items": [{"text": "a"}, {"text": DRAFT}]}).json()
    ids = [r["check_id"] for r in batch["reports"]]
    assert all(ids) and len(set(ids)) == 2


def test_a_decision_is_recorded_once_and_counted(api):
    held = _check(api)
    rules = sorted({f["rule_id"] for f in held["findings"]})
    r = api.post("/v1/decisions", json={"check_id": held["check_id"], "outcome": "edited", "rule_ids": rules[:1]})
    assert r.status_code == 201 and r.json() == {"recorded": True}
    again = api.post("/v1/decisions", json={"check_id": held["check_id"], "outcome": "edited", "rule_ids": rules[:1]})
    assert again.status_code == 200 and again.json() == {"recorded": False}
    other = _check(api)
    api.post("/v1/decisions", json={"check_id": other["check_id"], "outcome": "posted_anyway", "reason": "Known"})
    clean = _check(api, text="Library opens at nine tomorrow.")
    api.post("/v1/decisions", json={"check_id": clean["check_id"], "outcome": "posted_clean"})

    stats = api.get("/v1/stats").json()
    assert (stats["checks"], stats["held"], stats["nudge_rate"]) == (3, 2, 0.5)
    assert stats["outcomes"] == {"edited": 1, "posted_anyway": 1, "cancelled": 0, "posted_clean": 1}
    per_rule = {r["rule_id"]: r for r in stats["rules"]}
    assert set(per_rule) == set(rules)
    assert per_rule[rules[0]]["edited_away"] == 1 and per_rule[rules[0]]["posted_anyway"] == 1
    assert all(per_rule[r]["edited_away"] == 0 for r in rules[1:])
    assert stats["reasons"] == [{"reason": "Known", "count": 1}]
    assert stats["platforms"][0]["platform"] == "x"
    assert api.get("/v1/stats", params={"platform": "mastodon"}).json()["checks"] == 0
    assert api.get("/v1/stats", params={"since": "2000-01-01", "until": "2000-01-02"}).json()["checks"] == 0
    metrics = api.get("/metrics").text
    assert 'postguard_decisions_total{outcome="edited"} 1.0' in metrics
    assert 'postguard_decisions_total{outcome="cancelled"} 0.0' in metrics


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"check_id": "abc.def", "outcome": "edited"}, 404, "unknown_check_id"),
        ({"check_id": "x", "outcome": "deleted"}, 422, "validation_error"),
        ({"outcome": "edited"}, 422, "validation_error"),
        ({"check_id": "x", "outcome": "edited", "text": "a draft"}, 422, "validation_error"),
    ],
)
def test_bad_decisions_are_refused(api, body, status, code):
    assert_error(api.post("/v1/decisions", json=body), status, code)


def test_a_tampered_check_id_is_refused(api):
    check_id = _check(api)["check_id"]
    payload, sig = check_id.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["v"] = "pass"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode() + "." + sig
    assert_error(api.post("/v1/decisions", json={"check_id": forged, "outcome": "edited"}), 404, "unknown_check_id")


def test_the_log_can_be_switched_off(make_client, tmp_path):
    client = make_client(decisions=False)
    report = _check(client)
    assert "check_id" not in report
    assert_error(client.post("/v1/decisions", json={"check_id": "a.b", "outcome": "edited"}), 404, "decisions_off")
    assert_error(client.get("/v1/stats"), 404, "decisions_off")
    assert not list(tmp_path.glob("*.db"))


def test_stats_need_the_admin_scope_once_keys_are_set(make_client):
    client = make_client(api_keys="staff-key", admin_keys="admin-key")
    staff = {"Authorization": "Bearer staff-key"}
    admin = {"Authorization": "Bearer admin-key"}
    check_id = client.post("/v1/check", json={"text": DRAFT}, headers=staff).json()["check_id"]
    assert client.post("/v1/decisions", json={"check_id": check_id, "outcome": "cancelled"}, headers=staff).status_code == 201
    assert_error(client.get("/v1/stats"), 401, "unauthorized")
    assert_error(client.get("/v1/stats", headers=staff), 403, "forbidden")
    assert client.get("/v1/stats", headers=admin).json()["outcomes"]["cancelled"] == 1
    page = client.get("/stats")
    assert page.status_code == 401 and page.headers["www-authenticate"].startswith("Basic")
    basic = "Basic " + base64.b64encode(b"anyone:admin-key").decode()
    assert client.get("/stats", headers={"Authorization": basic}).status_code == 200
    staff_basic = "Basic " + base64.b64encode(b"anyone:staff-key").decode()
    assert client.get("/stats", headers={"Authorization": staff_basic}).status_code == 403


def test_the_user_key_is_pseudonymous(make_client, tmp_path):
    from sqlalchemy import create_engine, text

    client = make_client(api_keys="staff-key-0123456789")
    headers = {"Authorization": "Bearer staff-key-0123456789"}
    check_id = client.post("/v1/check", json={"text": DRAFT}, headers=headers).json()["check_id"]
    client.post("/v1/decisions", json={"check_id": check_id, "outcome": "cancelled"}, headers=headers)
    with create_engine(f"sqlite:///{tmp_path / 'postguard.db'}").connect() as conn:
        (user_key,) = conn.execute(text("select user_key from postguard_decisions")).one()
    assert len(user_key) == 16 and "staff" not in user_key


def test_the_database_never_holds_the_draft(make_client, database_url, tmp_path, request):
    client = make_client(database_url=database_url)
    for outcome in ("edited", "posted_anyway", "cancelled"):
        report = _check(client)
        assert any(MARKER in f["excerpt"] or "jane" in f["excerpt"] for f in report["findings"]) or report["findings"]
        r = client.post("/v1/decisions", json={"check_id": report["check_id"], "outcome": outcome, "reason": "ok"})
        assert r.status_code == 201
    client.__exit__(None, None, None)  # closes the log: SQLite's WAL is folded into the file
    if database_url.startswith("sqlite"):
        stored = b"".join(p.read_bytes() for p in Path(tmp_path).glob("postguard.db*"))
        assert b"posted_anyway" in stored  # the search itself finds what is there
    else:
        stored = request.getfixturevalue("postgres").dump().encode()
        assert b"posted_anyway" in stored
    for needle in (MARKER, "jane.doe", "example.com", "awful"):
        assert needle.encode() not in stored, needle


@pytest.mark.slow
def test_forked_workers_share_one_log():
    """Two workers migrate the same SQLite file at start, and accept each other's check ids."""
    import httpx2
    from service_helpers import Server

    srv = Server("--workers", "2")
    try:
        checks = [httpx2.post(srv.url + "/v1/check", json={"text": DRAFT}, timeout=30) for _ in range(8)]
        assert all("check_id" in r.json() for r in checks), ([r.text[:200] for r in checks], srv.output()[-2000:])
        ids = [r.json()["check_id"] for r in checks]
        first = [httpx2.post(srv.url + "/v1/decisions", json={"check_id": i, "outcome": "cancelled"}) for i in ids]
        again = [httpx2.post(srv.url + "/v1/decisions", json={"check_id": i, "outcome": "cancelled"}) for i in ids]
        assert [r.status_code for r in first] == [201] * 8, [r.text for r in first]
        assert [r.status_code for r in again] == [200] * 8
        assert httpx2.get(srv.url + "/v1/stats").json()["outcomes"]["cancelled"] == 8
        assert "decision log unavailable" not in srv.output()
    finally:
        srv.stop()


@pytest.mark.parametrize("value", ["2000-01-01", "2000-01-01T00:00:00Z", "2000-01-01t00:00:00.1234567z",
                                   "2000-01-01T01:00:00+01:00", "1999-12-31T23:59:60-23:59"])
def test_stats_take_rfc3339_times_and_dates(api, value):
    r = api.get("/v1/stats", params={"since": value, "until": value})
    assert r.status_code == 200 and r.json()["checks"] == 0, r.text


@pytest.mark.parametrize("value", ["0.5", "946684800", "2000-01-01T00:00:00", "2000-01-01 00:00:00Z", "2000-13-01",
                                   "2000-02-30", "2000-01-01T24:00:00Z", "2000-01-01T00:00:00+24:00", "20000101",
                                   "2000-01-01T00:00Z", "２０００-01-01", ""])
def test_stats_refuse_what_the_spec_calls_no_date_or_date_time(api, value):
    assert_error(api.get("/v1/stats", params={"until": value}), 422, "validation_error")


def test_a_stats_date_is_its_utc_midnight(api):
    from datetime import datetime, timedelta, timezone

    api.post("/v1/decisions", json={"check_id": _check(api)["check_id"], "outcome": "cancelled"})
    today = datetime.now(timezone.utc).date()
    count = lambda **q: api.get("/v1/stats", params=q).json()["checks"]  # noqa: E731
    assert count(since=today.isoformat()) == 1 and count(until=today.isoformat()) == 0
    assert count(until=(today + timedelta(days=1)).isoformat()) == 1
    ahead = (datetime.now(timezone.utc) + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-5)))
    assert count(since=ahead.isoformat(timespec="seconds")) == 0


def test_the_spec_says_what_stats_and_decisions_accept(api):
    spec = api.get("/openapi.json").json()
    params = {p["name"]: p["schema"] for p in spec["paths"]["/v1/stats"]["get"]["parameters"]}
    assert {"type": "string", "format": "date-time"} in params["since"]["anyOf"]
    assert {"type": "string", "format": "date"} in params["until"]["anyOf"]
    # a filter over what was recorded: a policy no longer offered is still a valid name
    assert all("enum" not in branch for branch in params["policy"]["anyOf"])
    rules = {p["name"]: p["schema"] for p in spec["paths"]["/v1/rules"]["get"]["parameters"]}
    assert any("enum" in branch for branch in rules["policy"]["anyOf"])
    assert "unknown_check_id" in spec["paths"]["/v1/decisions"]["post"]["responses"]["404"]["description"]
    assert api.get("/v1/stats", params={"policy": "retired-policy"}).json()["checks"] == 0


def test_the_spec_links_a_check_to_its_decision(api):
    spec = api.get("/openapi.json").json()
    link = spec["paths"]["/v1/check"]["post"]["responses"]["200"]["links"]["RecordDecision"]
    assert link["operationId"] == spec["paths"]["/v1/decisions"]["post"]["operationId"]
    report = _check(api)
    body = {k: report["check_id"] if v == "$response.body#/check_id" else v for k, v in link["requestBody"].items()}
    assert api.post("/v1/decisions", json=body).status_code == 201
