"""The HTTP protocol over a real socket: JSON for malformed requests, and read deadlines."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx2
import pytest
from service_helpers import Server


@pytest.fixture(scope="module")
def strict():
    srv = Server(env={
        "POSTGUARD_HEADER_TIMEOUT_S": "1.5",
        "POSTGUARD_BODY_TIMEOUT_S": "1.5",
        "POSTGUARD_MAX_SLOW_CONNECTIONS": "3",
        "POSTGUARD_RATE_LIMIT_PER_MINUTE": "0",
    })
    yield srv
    srv.stop()


def _answer(sock: socket.socket, limit: float = 10) -> tuple[int, dict, bytes]:
    """Status, headers and JSON body of the one response on ``sock``."""
    sock.settimeout(limit)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = {k.strip().lower().decode(): v.strip().decode() for k, _, v in (line.partition(b":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _assert_json_error(status: int, headers: dict, body: bytes, expected: int, code: str) -> str:
    assert status == expected, body
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == code and set(error) == {"code", "message"}
    return error["message"]


@pytest.mark.parametrize(
    "length_headers",
    [
        b"Content-Length: abc\r\n",
        b"Content-Length: -5\r\n",
        b"Content-Length: 100000000000000000000\r\n",
        b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
    ],
)
def test_a_malformed_content_length_gets_the_json_error(strict, length_headers):
    with socket.create_connection(("127.0.0.1", strict.port)) as s:
        s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + length_headers + b"\r\nhello")
        _assert_json_error(*_answer(s), 400, "bad_request")


def _dribble(port: int, head: bytes, rest: bytes, every: float = 0.25) -> tuple[float, tuple[int, dict, bytes]]:
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(head)
        for byte in rest:
            time.sleep(every)
            try:
                s.sendall(bytes([byte]))
            except OSError:  # closed on us: the answer is waiting
                break
        return time.monotonic() - t0, _answer(s)


def test_headers_sent_a_byte_at_a_time_get_a_408_at_the_header_deadline(strict):
    took, answer = _dribble(strict.port, b"GET /healthz HTTP/1.1\r\n", b"Host: example.org\r\nX-Slow: " + b"y" * 40 + b"\r\n\r\n")
    assert "headers" in _assert_json_error(*answer, 408, "request_timeout")
    assert 1.4 < took < 4


def test_a_body_sent_a_byte_at_a_time_gets_a_408_at_the_body_deadline(strict):
    body = json.dumps({"text": "x" * 40}).encode()
    head = b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    took, answer = _dribble(strict.port, head, body)
    assert "body" in _assert_json_error(*answer, 408, "request_timeout")
    assert 1.4 < took < 4


def test_a_connection_that_sends_nothing_is_closed(strict):
    with socket.create_connection(("127.0.0.1", strict.port)) as s:
        t0 = time.monotonic()
        answer = _answer(s)
        assert 1.4 < time.monotonic() - t0 < 4
    _assert_json_error(*answer, 408, "request_timeout")


def test_slow_requests_beyond_the_cap_are_refused_and_the_rest_is_served(strict):
    socks = [socket.create_connection(("127.0.0.1", strict.port)) for _ in range(6)]
    try:
        for s in socks:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and no more
        messages = [_assert_json_error(*_answer(s), 408, "request_timeout") for s in socks]
        # a second in, three are over the cap; the rest wait for the header deadline
        assert sorted(messages) == ["more than 3 requests are arriving slowly"] * 3 + [
            "the request's headers did not arrive within 1.5 s"
        ] * 3
        assert httpx2.get(strict.url + "/healthz", timeout=5).status_code == 200  # a quick one is fine
    finally:
        for s in socks:
            s.close()
