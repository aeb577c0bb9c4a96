"""Every route and every error shape, in process (TestClient over the real app and checker)."""

from __future__ import annotations

import json
import logging

import pytest
from service_helpers import assert_error

from postguard.platforms import PLATFORMS

OVER_X = "Big news from the team 🎉 " * 20  # > 280 weighted characters, with emoji before the cut


def test_healthz_and_readyz(client):
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and "platform" in health.json()["checks"]
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


def test_readyz_is_503_until_loaded_and_when_loading_fails(make_client):
    client = make_client(ready=False, policy="no-such-policy")
    import time

    deadline = time.monotonic() + 10
    while client.get("/healthz").json()["status"] == "loading" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert client.get("/healthz").json()["status"] == "failed"
    err = assert_error(client.get("/readyz"), 503, "load_failed")
    assert "no-such-policy" in err["message"]
    assert_error(client.post("/v1/check", json={"text": "hello"}), 503, "not_ready")


def test_check_returns_the_report(client):
    r = client.post("/v1/check", json={"text": "Thanks to everyone who came along yesterday!"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {
        "findings", "groups", "scores", "timings_ms", "policy", "platform", "version", "verdict", "check_id"
    }
    assert body["policy"] == "default" and body["platform"] == "generic"
    assert body["verdict"] in ("pass", "warn", "block")


def test_check_finding_fields_and_platform_alias(client):
    r = client.post("/v1/check", json={"text": OVER_X, "platform": "twitter"})
    body = r.json()
    assert body["platform"] == "x" and body["verdict"] in ("warn", "block")
    (f,) = [f for f in body["findings"] if f["rule_id"] == "platform.length"]
    assert set(f) == {
        "id", "rule_id", "category", "severity", "start", "end", "excerpt", "message", "suggestion", "link",
        "score", "entity", "also_found_by",
    }
    assert OVER_X[f["start"] : f["end"]] == f["excerpt"]
    assert f["id"] == f"platform.length@{f['start']}-{f['end']}"


def _utf16_index(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


@pytest.mark.parametrize("where", ["body", "query"])
def test_utf16_offsets_index_javascript_strings(client, where):
    plain = client.post("/v1/check", json={"text": OVER_X, "platform": "x"}).json()
    if where == "body":
        r = client.post("/v1/check", json={"text": OVER_X, "platform": "x", "offsets": "utf16"})
    else:
        r = client.post("/v1/check?offsets=utf16", json={"text": OVER_X, "platform": "x"})
    utf16 = r.json()
    assert len(plain["findings"]) == len(utf16["findings"]) > 0
    js = OVER_X.encode("utf-16-le")
    for p, u in zip(plain["findings"], utf16["findings"]):
        assert (u["start"], u["end"]) == (_utf16_index(OVER_X, p["start"]), _utf16_index(OVER_X, p["end"]))
        assert u["start"] > p["start"]  # emoji before the cut take two code units each
        assert js[2 * u["start"] : 2 * u["end"]].decode("utf-16-le") == u["excerpt"]
        assert u["id"] == p["id"]  # ids stay stable whatever the offsets


GROUPED = "🎉 Free coffee, \U0001d5f1\U0001d5ee\U0001d5fa\U0001d5FB \U0001d5f4\U0001d5fc\U0001d5fc\U0001d5f1! Your password is Winter2024!"


@pytest.mark.parametrize("offsets", ["python", "utf16"])
def test_every_finding_kept_and_groups_in_the_same_offsets(client, offsets):
    report = client.post("/v1/check", json={"text": GROUPED, "offsets": offsets}).json()
    rules = [f["rule_id"] for f in report["findings"]]
    # Both reasons over the styled words are in the JSON; the password is one finding, not two.
    assert {"policy.style.styled-letters", "profanity.mild", "secret.password"} <= set(rules)
    assert "policy.servicedesk.password" not in rules
    [password] = [f for f in report["findings"] if f["rule_id"] == "secret.password"]
    assert password["also_found_by"] == ["policy.servicedesk.password"]
    by_id = {f["id"]: f for f in report["findings"]}
    assert sorted(i for g in report["groups"] for i in g["findings"]) == sorted(by_id)
    units = GROUPED.encode("utf-16-le")
    for g in report["groups"]:
        members = [by_id[i] for i in g["findings"]]
        assert (g["start"], g["end"]) == (min(f["start"] for f in members), max(f["end"] for f in members))
        # ids keep code points: the group's words, read with the requested offsets, are the same words
        spans = [tuple(map(int, i.split("@")[1].split("-"))) for i in g["findings"]]
        expected = GROUPED[min(a for a, _ in spans) : max(b for _, b in spans)]
        if offsets == "utf16":
            assert units[2 * g["start"] : 2 * g["end"]].decode("utf-16-le") == expected
        else:
            assert GROUPED[g["start"] : g["end"]] == expected
    styled = next(g for g in report["groups"] if len(g["findings"]) > 1)
    assert [by_id[i]["rule_id"] for i in styled["findings"]][0] == "policy.style.styled-letters"


def test_batch_keeps_order_and_mixes_platforms(client):
    items = [
        {"text": OVER_X, "platform": "x"},
        {"text": "Short and sweet."},
        {"text": OVER_X, "platform": "linkedin", "format": "markdown"},
    ]
    r = client.post("/v1/check/batch", json={"items": items})
    assert r.status_code == 200
    reports = r.json()["reports"]
    assert [rep["platform"] for rep in reports] == ["x", "generic", "linkedin"]
    assert any(f["rule_id"] == "platform.length" for f in reports[0]["findings"])
    assert not any(f["rule_id"] == "platform.length" for f in reports[2]["findings"])


def test_batch_utf16_and_empty(client):
    r = client.post("/v1/check/batch?offsets=utf16", json={"items": [{"text": OVER_X, "platform": "x"}]})
    f = r.json()["reports"][0]["findings"][0]
    assert f["start"] == _utf16_index(OVER_X, int(f["id"].split("@")[1].split("-")[0]))
    assert client.post("/v1/check/batch", json={"items": []}).json() == {"reports": []}


def test_policies_with_post_anyway(client):
    body = client.get("/v1/policies").json()
    assert body["default"] == "default"
    names = [p["name"] for p in body["policies"]]
    assert "default" in names
    for p in body["policies"]:
        assert set(p) == {"name", "description", "post_anyway"}
        assert set(p["post_anyway"]) == {"allowed_on_block", "require_reason", "reasons"}
        assert isinstance(p["post_anyway"]["reasons"], list)


def test_rules(client):
    body = client.get("/v1/rules").json()
    assert body["policy"] == "default"
    ids = [r["id"] for r in body["rules"]]
    assert len(ids) == len(set(ids))
    for rule in body["rules"]:
        assert rule["id"].startswith("policy.") or rule["category"] != "policy"
    assert_error(client.get("/v1/rules?policy=nope"), 422, "unknown_policy")


def test_platforms(client):
    body = client.get("/v1/platforms").json()
    by_name = {p["name"]: p for p in body["platforms"]}
    assert set(by_name) == set(PLATFORMS)
    assert by_name["x"]["limit"] == 280 and by_name["x"]["aliases"] == ["twitter"]
    assert by_name["generic"]["limit"] is None


def test_docs_and_openapi(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    # the interactive docs work offline: every script and stylesheet comes from this service
    import re

    assets = re.findall(r"""(?:src|href)=["']([^"']+\.(?:js|css))""", docs.text) + re.findall(
        r"""url: ?['"]([^'"]+)""", docs.text
    )
    assert assets and all(a.startswith("/") for a in assets), assets
    assert all(client.get(a).status_code == 200 for a in assets if a.endswith((".js", ".css")))
    spec = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/check/batch", "/v1/policies", "/v1/rules", "/v1/platforms", "/healthz", "/readyz"} <= set(
        spec["paths"]
    )
    responses = spec["paths"]["/v1/check"]["post"]["responses"]
    assert {"200", "401", "403", "413", "422", "429"} <= set(responses)


def test_try_it_page_is_self_contained(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "unsafe-inline" not in csp
    html = r.text
    assert "http://" not in html.replace('href="/docs"', "") or "https://" not in html
    assert "<script src" not in html and "<link" not in html  # nothing loaded from elsewhere


def test_metrics(client):
    marker = "Zebracorn-unique-draft-text"
    client.post("/v1/check", json={"text": marker + " " + OVER_X, "platform": "x"})
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'postguard_http_requests_total{method="POST",route="/v1/check",status="200"}' in text
    assert "postguard_http_request_duration_seconds_bucket" in text
    assert 'postguard_findings_total{category="platform"}' in text
    assert 'postguard_verdicts_total{verdict="warn"}' in text
    assert "postguard_check_batch_size_count" in text
    assert "postguard_ready 1.0" in text
    assert marker not in text and "Zebracorn" not in text


def test_one_log_line_per_request_without_text(client, caplog):
    marker = "Quixotic-marker-text"
    with caplog.at_level(logging.INFO, logger="postguard.access"):
        client.post("/v1/check", json={"text": marker + " " + OVER_X, "platform": "x"})
        client.post("/v1/check/batch", json={"items": [{"text": marker}, {"text": OVER_X, "platform": "x"}]})
        client.get("/nowhere")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "postguard.access"]
    assert len(lines) == 3
    one, batch, missing = lines
    assert one["route"] == "/v1/check" and one["status"] == 200 and one["verdict"] in ("warn", "block")
    assert one["findings"]["platform"] == 1 and one["latency_ms"] > 0
    assert batch["route"] == "/v1/check/batch" and batch["items"] == 2 and sum(batch["verdicts"].values()) == 2
    assert missing["route"] == "(unmatched)" and missing["status"] == 404
    assert marker not in caplog.text


def test_concurrent_requests_share_batches(client):
    """Requests sent together are coalesced; each still gets its own report."""
    import concurrent.futures

    texts = [f"Draft number {i} " + ("x" * (300 if i % 2 else 10)) for i in range(24)]

    def one(i: int) -> dict:
        return client.post("/v1/check", json={"text": texts[i], "platform": "x"}).json()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        reports = list(pool.map(one, range(len(texts))))
    for i, rep in enumerate(reports):
        has_length = any(f["rule_id"] == "platform.length" for f in rep["findings"])
        assert has_length == bool(i % 2)
