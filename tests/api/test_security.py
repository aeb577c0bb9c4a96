"""Safe by default: API keys, CORS, the per-key rate limit."""

from __future__ import annotations

import asyncio

import pytest
from service_helpers import assert_error

from postguard.api.ratelimit import MemoryLimiter, RedisLimiter
from postguard.api.settings import Settings, get_settings, hash_key

KEY, OTHER = "pg-test-key-0123456789", "pg-other-key-9876543210"


def test_defaults_are_safe():
    s = Settings(_env_file=None)
    assert s.host == "127.0.0.1"
    assert s.cors_origins == [] and not s.auth_enabled
    assert s.max_body_bytes == 256 * 1024 and s.max_batch_items == 100
    assert s.rate_limit_per_minute > 0


def test_keys_are_kept_hashed(monkeypatch):
    monkeypatch.setenv("POSTGUARD_API_KEYS", f"{KEY}, {OTHER}")
    s = Settings()
    assert s.api_keys == [hash_key(KEY), hash_key(OTHER)]
    assert KEY not in repr(s) and KEY not in s.model_dump_json()
    assert s.key_id(KEY) and s.key_id(OTHER) and s.key_id(KEY) != s.key_id(OTHER)
    assert s.key_id("wrong") is None


@pytest.mark.parametrize(
    "headers, status, code",
    [
        ({}, 401, "unauthorized"),
        ({"Authorization": ""}, 401, "unauthorized"),
        ({"Authorization": f"Basic {KEY}"}, 401, "unauthorized"),
        ({"Authorization": "Bearer "}, 401, "unauthorized"),
        ({"Authorization": "Bearer wrong-key"}, 403, "forbidden"),
        ({"Authorization": f"Bearer {KEY}x"}, 403, "forbidden"),
    ],
)
def test_requests_without_a_valid_key_are_refused(make_client, headers, status, code):
    client = make_client(api_keys=[KEY])
    r = client.post("/v1/check", json={"text": "hi"}, headers=headers)
    assert_error(r, status, code)
    if status == 401:
        assert r.headers["www-authenticate"] == "Bearer"
    for path in ("/v1/policies", "/v1/rules", "/v1/platforms"):
        assert client.get(path, headers=headers).status_code == status


def test_a_valid_key_is_accepted_and_operations_routes_stay_open(make_client):
    client = make_client(api_keys=[KEY, OTHER])
    for key in (KEY, OTHER):
        assert client.post("/v1/check", json={"text": "hi"}, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert client.post("/v1/check", json={"text": "hi"}, headers={"authorization": f"bearer {KEY}"}).status_code == 200
    for path in ("/healthz", "/readyz", "/", "/openapi.json"):
        assert client.get(path).status_code == 200


def test_metrics_need_a_key_once_keys_are_configured_unless_made_public(make_client):
    client = make_client(api_keys=[KEY])
    assert_error(client.get("/metrics"), 401, "unauthorized")
    assert_error(client.get("/metrics", headers={"Authorization": "Bearer nope"}), 403, "forbidden")
    assert "postguard_http_requests_total" in client.get("/metrics", headers={"Authorization": f"Bearer {KEY}"}).text
    assert make_client(api_keys=[KEY], metrics_public=True).get("/metrics").status_code == 200
    assert make_client().get("/metrics").status_code == 200  # no keys: nothing to protect it with


def test_key_file_with_plain_and_hashed_keys(make_client, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text(f"# service keys\n{KEY}\n{hash_key(OTHER)}  # the extension\n\n", encoding="utf-8")
    client = make_client(api_keys_file=keys)
    for key in (KEY, OTHER):
        assert client.get("/v1/platforms", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert_error(client.get("/v1/platforms", headers={"Authorization": "Bearer nope"}), 403, "forbidden")


def test_settings_dependency_can_be_overridden(make_client):
    client = make_client()
    assert client.get("/v1/platforms").status_code == 200
    client.app.dependency_overrides[get_settings] = lambda: Settings(api_keys=[KEY])
    assert_error(client.get("/v1/platforms"), 401, "unauthorized")
    assert client.get("/v1/platforms", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


def test_cors_is_off_by_default(client):
    r = client.options(
        "/v1/check",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = client.post("/v1/check", json={"text": "hi"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_allows_only_configured_origins(make_client):
    ext = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    client = make_client(cors_origins=ext)
    pre = client.options(
        "/v1/check",
        headers={"Origin": ext, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"},
    )
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == ext
    assert "authorization" in pre.headers["access-control-allow-headers"].lower()
    r = client.post("/v1/check", json={"text": "hi"}, headers={"Origin": ext})
    assert r.headers["access-control-allow-origin"] == ext
    r = client.post("/v1/check", json={"text": "x" * 10}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    bad = client.options("/v1/check", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert_error(bad, 400, "cors_rejected")
    assert "access-control-allow-origin" not in bad.headers


def test_rate_limit_per_key_with_retry_after(make_client):
    client = make_client(api_keys=[KEY, OTHER], rate_limit_per_minute=60, rate_limit_burst=3)
    auth = {"Authorization": f"Bearer {KEY}"}
    for _ in range(3):
        assert client.get("/v1/platforms", headers=auth).status_code == 200
    r = client.post("/v1/check", json={"text": "hi"}, headers=auth)
    assert_error(r, 429, "rate_limited")
    assert 1 <= int(r.headers["retry-after"]) <= 2
    # Another key has its own allowance; operations routes are never limited.
    assert client.get("/v1/platforms", headers={"Authorization": f"Bearer {OTHER}"}).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_rate_limit_without_keys_is_per_client_address(make_client):
    client = make_client(rate_limit_per_minute=60, rate_limit_burst=2)
    assert [client.get("/v1/platforms").status_code for _ in range(3)] == [200, 200, 429]


def test_rate_limit_can_be_switched_off(make_client):
    client = make_client(rate_limit_per_minute=0)
    assert client.app.state.limiter is None
    assert all(client.get("/v1/platforms").status_code == 200 for _ in range(50))


def test_memory_limiter_refills():
    limiter = MemoryLimiter(per_minute=6000, burst=2)  # 100 a second
    run = asyncio.run
    assert run(limiter.hit("a")) is None and run(limiter.hit("a")) is None
    wait = run(limiter.hit("a"))
    assert wait is not None and 0 < wait <= 0.011
    import time

    time.sleep(0.02)
    assert run(limiter.hit("a")) is None


def test_memory_limiter_forgets_clients_when_full():
    limiter = MemoryLimiter(per_minute=60, burst=5, max_clients=10)
    for i in range(25):
        asyncio.run(limiter.hit(f"client-{i}"))
    assert len(limiter._buckets) <= 10


def test_redis_limiter_is_shared_between_instances():
    fakeredis = pytest.importorskip("fakeredis")
    server = fakeredis.FakeServer()

    async def scenario() -> list[float | None]:
        a = RedisLimiter("redis://unused", per_minute=3, burst=3)
        b = RedisLimiter("redis://unused", per_minute=3, burst=3)
        a.client = fakeredis.FakeAsyncRedis(server=server)
        b.client = fakeredis.FakeAsyncRedis(server=server)
        return [await a.hit("k"), await b.hit("k"), await a.hit("k"), await b.hit("k"), await a.hit("other")]

    results = asyncio.run(scenario())
    assert results[:3] == [None, None, None]
    assert results[3] is not None and 0 < results[3] <= 60
    assert results[4] is None


def test_redis_url_selects_the_redis_limiter(make_client):
    pytest.importorskip("redis")
    client = make_client(redis_url="redis://127.0.0.1:1/0")
    assert isinstance(client.app.state.limiter, RedisLimiter)


def test_redis_down_fails_open(make_client):
    pytest.importorskip("redis")
    client = make_client(redis_url="redis://127.0.0.1:1/0")
    assert client.get("/v1/platforms").status_code == 200
