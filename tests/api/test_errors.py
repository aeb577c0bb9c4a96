"""Every 4xx/5xx is JSON {"error": {"code", "message"}}: malformed, oversized and wrong bodies."""

from __future__ import annotations

import time

import pytest
from service_helpers import assert_error

from postguard.api.app import create_app
from postguard.api.settings import Settings


@pytest.mark.parametrize(
    "content, content_type, status, code",
    [
        (b"{not json", "application/json", 422, "validation_error"),
        (b'{"text": "caf\xe9"}', "application/json", 400, "bad_request"),  # Latin-1, not UTF-8
        (b'{"text": "\\ud800 lone surrogate"}', "application/json", 422, "validation_error"),
        (b'{"text": 42}', "application/json", 422, "validation_error"),
        (b"[]", "application/json", 422, "validation_error"),
        (b"", "application/json", 422, "validation_error"),
        (b'{"text": "hi"}', "text/plain", 415, "unsupported_media_type"),
        (b'{"text": "hi"}', "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b'{"text": "hi"}', "application/json; charset=latin-1", 415, "unsupported_media_type"),
        (b'{"text": "hi"}', None, 415, "unsupported_media_type"),
    ],
)
def test_malformed_bodies(client, content, content_type, status, code):
    headers = {"content-type": content_type} if content_type else {}
    assert_error(client.post("/v1/check", content=content, headers=headers), status, code)


def test_json_with_charset_and_vendor_type_is_accepted(client):
    for ct in ("application/json; charset=utf-8", "application/vnd.postguard+json"):
        r = client.post("/v1/check", content=b'{"text": "hi"}', headers={"content-type": ct})
        assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    "body, code, fragment",
    [
        ({}, "validation_error", "text"),
        ({"text": "hi", "platform": "myspace"}, "validation_error", "platform"),
        ({"text": "hi", "format": "rtf"}, "validation_error", "format"),
        ({"text": "hi", "offsets": "utf8"}, "validation_error", "offsets"),
        ({"text": "hi", "policy": "../../etc/passwd"}, "validation_error", "policy"),
        ({"text": "hi", "policy": "/etc/passwd.yaml"}, "validation_error", "policy"),
        ({"text": "hi", "policy": "nope"}, "unknown_policy", "default"),
        ({"text": "hi", "metadata": {"colour": "red"}}, "validation_error", "metadata"),
        ({"text": "hi", "metadata": {"scheduled_at": "tomorrow"}}, "validation_error", "scheduled_at"),
    ],
)
def test_invalid_fields(client, body, code, fragment):
    err = assert_error(client.post("/v1/check", json=body), 422, code)
    assert fragment in err["message"]


def test_not_found_and_method_not_allowed(client):
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.get("/v1/check"), 405, "method_not_allowed")
    assert_error(client.delete("/healthz"), 405, "method_not_allowed")


def test_body_over_limit_by_content_length(make_client):
    client = make_client(max_body_bytes=1000)
    r = client.post("/v1/check", json={"text": "x" * 2000})
    err = assert_error(r, 413, "payload_too_large")
    assert "1,000" in err["message"]
    assert client.post("/v1/check", json={"text": "x" * 900}).status_code == 200


def test_streamed_body_over_limit_is_cut_off(make_client):
    client = make_client(max_body_bytes=1000)
    sent = 0

    def chunks():  # no Content-Length: the limit is enforced while reading
        nonlocal sent
        yield b'{"text": "'
        for _ in range(1000):
            sent += 1
            yield b"x" * 100
        yield b'"}'

    r = client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert_error(r, 413, "payload_too_large")


def test_text_length_limit(make_client):
    client = make_client(max_text_length=100)
    err = assert_error(client.post("/v1/check", json={"text": "a" * 101}), 422, "text_too_long")
    assert "100" in err["message"]
    assert client.post("/v1/check", json={"text": "a" * 100}).status_code == 200
    r = client.post("/v1/check/batch", json={"items": [{"text": "ok"}, {"text": "a" * 101}]})
    assert "item 1" in assert_error(r, 422, "text_too_long")["message"]


def test_batch_size_limit(make_client):
    client = make_client(max_batch_items=3)
    assert client.post("/v1/check/batch", json={"items": [{"text": "a"}] * 3}).status_code == 200
    err = assert_error(client.post("/v1/check/batch", json={"items": [{"text": "a"}] * 4}), 413, "batch_too_large")
    assert "at most 3" in err["message"]


def test_default_batch_limit_is_100(client):
    assert client.post("/v1/check/batch", json={"items": [{"text": "a"}] * 100}).status_code == 200
    assert_error(client.post("/v1/check/batch", json={"items": [{"text": "a"}] * 101}), 413, "batch_too_large")


@pytest.mark.parametrize("check_processes", [2, 0])
def test_internal_errors_do_not_leak(checker, monkeypatch, caplog, check_processes):
    from fastapi.testclient import TestClient
    from service_helpers import wait_ready

    run_posts = checker.run_posts

    def boom(posts, policy=None):
        if any(p.text == "hello" for p in posts):
            raise RuntimeError("secret post text must not appear")
        return run_posts(posts, policy)

    # Patched before the app starts, so the check processes forked after loading have it too.
    monkeypatch.setattr(checker, "run_posts", boom)
    # raise_server_exceptions=True: the error must not even reach the server (which would log
    # its traceback, message and all).
    with TestClient(create_app(Settings(check_processes=check_processes), checker=checker)) as client:
        wait_ready(client)
        r = client.post("/v1/check", json={"text": "hello"})
    err = assert_error(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in r.text
    assert err["message"] == "internal error"
    assert "secret post text" not in caplog.text and "RuntimeError" in caplog.text


def test_one_bad_post_fails_only_its_own_request(make_client, checker, monkeypatch):
    real = checker.run_posts

    def picky(posts, policy=None):
        if any(p.text == "poison" for p in posts):
            raise RuntimeError("poison")
        return real(posts, policy)

    monkeypatch.setattr(checker, "run_posts", picky)  # before the check processes are forked
    client = make_client()
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: client.post("/v1/check", json={"text": t}), ["a", "poison", "b", "c"]))
    assert [r.status_code for r in results] == [200, 500, 200, 200]


def test_request_time_limit(make_client, checker, monkeypatch):
    real = checker.run_posts

    def slow(posts, policy=None):
        if any(p.text == "hello" for p in posts):
            time.sleep(0.5)
        return real(posts, policy)

    monkeypatch.setattr(checker, "run_posts", slow)  # before the check processes are forked
    client = make_client(request_timeout_s=0.2)
    err = assert_error(client.post("/v1/check", json={"text": "hello"}), 504, "timeout")
    assert "0.2 s" in err["message"]


def test_library_errors_map_to_http(checker):
    from fastapi.testclient import TestClient

    from postguard.errors import ModelError, PolicyError

    app = create_app(Settings(), checker=checker)

    @app.get("/raise/{kind}")
    async def _raise(kind: str):
        raise {"model": ModelError("no model"), "policy": PolicyError("bad policy")}[kind]

    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.get("/raise/model"), 503, "model_unavailable")
        assert_error(c.get("/raise/policy"), 422, "invalid_policy")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("PUT", "/v1/platforms", 405, "method_not_allowed"),
        ("POST", "/v1/nope", 404, "not_found"),
        ("POST", "/v1/check", 415, "unsupported_media_type"),  # a real route: the body's type is wrong
    ],
)
def test_routing_errors_come_before_the_body_type(client, method, path, status, code):
    r = client.request(method, path, content=b"text", headers={"Content-Type": "text/plain"})
    assert_error(r, status, code)


def test_json_nested_too_deeply_is_a_422(client):
    body = b"[" * 100_000 + b"]" * 100_000
    err = assert_error(client.post("/v1/check", content=body, headers={"Content-Type": "application/json"}), 422)
    assert "nested too deeply" in err["message"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/check", {"text": "hi", "platfrom": "x"}, "platfrom"),
        ("/v1/check/batch", {"items": [{"text": "hi"}], "item": []}, "item"),
        ("/v1/check/batch", {"items": [{"text": "hi", "fromat": "html"}]}, "items.0.fromat"),
    ],
)
def test_an_unknown_field_is_named_in_a_422(client, path, body, field):
    err = assert_error(client.post(path, json=body), 422, "validation_error")
    assert f"{field}: Extra inputs are not permitted" in err["message"]
