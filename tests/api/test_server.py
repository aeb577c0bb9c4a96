"""The real thing: ``postguard serve`` in its own process, spoken to over TCP."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from service_helpers import POSTGUARD, Server, assert_error


def _listening_addresses(port: int) -> set[str]:
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, _, p = local.partition(":")
            if state == "0A" and int(p, 16) == port:
                out.add(addr)
    return out


def test_serves_checks_over_http_on_loopback_only(server):
    assert _listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, nothing else
    with httpx2.Client(base_url=server.url, timeout=10) as c:
        for _ in range(3):  # several requests on one keep-alive connection
            r = c.post("/v1/check", json={"text": "Lovely to see you all at the open day!", "platform": "x"})
            assert r.status_code == 200 and r.json()["platform"] == "x"
        assert c.get("/healthz").json()["status"] == "ok"
        assert c.get("/").headers["content-type"].startswith("text/html")
        assert "postguard_http_requests_total" in c.get("/metrics").text


def test_log_lines_are_json_and_carry_no_text(server):
    marker = "Serendipitous-marker-in-a-draft"
    httpx2.post(server.url + "/v1/check", json={"text": marker + " " + "word " * 80, "platform": "x"}, timeout=10)
    time.sleep(0.2)
    out = server.output()
    assert marker not in out
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    checks = [line for line in lines if line.get("route") == "/v1/check"]
    assert checks and {"method", "route", "status", "latency_ms", "verdict", "findings"} <= set(checks[-1])


def _raw(server, request: bytes, then: bytes = b"", read_timeout: float = 5) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout) as s:
        s.sendall(request)
        if then:
            try:
                s.sendall(then)
            except OSError:
                pass
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < int(
            _header(data, b"content-length") or 0
        ):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def _header(data: bytes, name: bytes) -> bytes | None:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == name:
            return v.strip()
    return None


def test_oversized_body_is_refused_before_it_is_sent(server):
    # Announce 10 MB, send only the headers: the answer must come without the body.
    head = (
        b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10000000\r\n\r\n"
    )
    t0 = time.monotonic()
    data = _raw(server, head)
    assert data.startswith(b"HTTP/1.1 413"), data[:200]
    assert time.monotonic() - t0 < 3
    body = json.loads(data.split(b"\r\n\r\n", 1)[1])
    assert body["error"]["code"] == "payload_too_large"


def test_chunked_body_over_the_limit_is_cut_off(server):
    head = (
        b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(6))  # 384 KB > 256 KB
    data = _raw(server, head, chunks)
    assert data.startswith(b"HTTP/1.1 413"), data[:200]


def test_invalid_utf8_and_wrong_content_type_over_http(server):
    r = httpx2.post(server.url + "/v1/check", content=b'{"text": "\xff\xfe"}', headers={"content-type": "application/json"})
    assert_error(r, 400, "bad_request")
    r = httpx2.post(server.url + "/v1/check", content=b"text=hello", headers={"content-type": "application/x-www-form-urlencoded"})
    assert_error(r, 415, "unsupported_media_type")


def test_bad_policy_fails_at_start_in_one_line():
    proc = subprocess.run(
        [*POSTGUARD, "serve", "--policy", "no-such-policy", "--port", "1"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("postguard: error:") and "no-such-policy" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_api_keys_from_the_environment(tmp_path):
    srv = Server(env={"POSTGUARD_API_KEYS": "env-key-1234567890"})
    try:
        assert_error(httpx2.get(srv.url + "/v1/platforms"), 401, "unauthorized")
        assert_error(httpx2.get(srv.url + "/v1/platforms", headers={"Authorization": "Bearer nope"}), 403, "forbidden")
        ok = httpx2.get(srv.url + "/v1/platforms", headers={"Authorization": "Bearer env-key-1234567890"})
        assert ok.status_code == 200
    finally:
        srv.stop()
    # SIGTERM shuts down gracefully (uvicorn re-raises the signal once it has finished).
    assert srv.proc.returncode in (0, -15)
    assert "Finished server process" in srv.log.read_text()


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError):
            pass
    return sorted(out)


@pytest.mark.slow
def test_workers_are_forked_after_loading_and_replaced_when_they_die():
    srv = Server("--workers", "2")
    try:
        workers = _children(srv.proc.pid)
        assert len(workers) == 2
        with httpx2.Client(base_url=srv.url, timeout=10) as c:
            assert c.post("/v1/check", json={"text": "hello"}).status_code == 200
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = _children(srv.proc.pid)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.1)
        assert len(now) == 2 and workers[0] not in now, now
        for _ in range(10):  # every request answered, whichever worker takes it
            assert httpx2.post(srv.url + "/v1/check", json={"text": "hello again"}, timeout=10).status_code == 200
        assert "starting another" in srv.output()
    finally:
        srv.stop()
    assert "Finished server process" in srv.output() and not _children(srv.proc.pid)


UVICORN_ASYNCIO = [sys.executable, "-m", "uvicorn", "postguard.api.app:create_app", "--factory", "--loop", "asyncio",
                   "--http", "postguard.api.server:NoDelayHTTPProtocol"]


@pytest.mark.slow
@pytest.mark.parametrize("command", [None, UVICORN_ASYNCIO], ids=["postguard-serve", "asyncio-loop"])
def test_two_workers_answer_keep_alive_requests_without_nagle_delay(command):
    """uvicorn's multi-worker mode loses TCP_NODELAY on the asyncio loop: every small keep-alive
    response then waits ~40 ms for the client's delayed ACK. postguard's protocol sets it."""
    srv = Server("--workers", "2", command=command)
    try:
        with httpx2.Client(base_url=srv.url, timeout=10) as c:
            times = []
            for _ in range(80):
                t0 = time.perf_counter()
                assert c.get("/healthz").status_code == 200
                times.append(time.perf_counter() - t0)
            assert c.post("/v1/check", json={"text": "Short update from the team."}).status_code == 200
        assert statistics.median(times[10:]) < 0.02, times
    finally:
        srv.stop()


@pytest.mark.parametrize(
    "env, fragment",
    [
        ({"POSTGUARD_MAX_BODY_BYTES": "lots"}, "POSTGUARD_MAX_BODY_BYTES"),
        ({"POSTGUARD_WORKERS": "0"}, "postguard: error: POSTGUARD_WORKERS: Input should be greater than or equal to 1"),
        ({"POSTGUARD_API_KEYS_FILE": "/nonexistent/keys.txt"}, "POSTGUARD_API_KEYS_FILE"),
    ],
)
def test_bad_settings_fail_at_start_in_one_line(env, fragment):
    import os

    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("POSTGUARD_")}, **env}
    proc = subprocess.run([*POSTGUARD, "serve", "--port", "1"], capture_output=True, text=True, timeout=60, env=full_env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("postguard: error:") and fragment in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


def test_a_bad_port_fails_at_start_in_one_line():
    import os

    env = {**{k: v for k, v in os.environ.items() if not k.startswith("POSTGUARD_")}, "POSTGUARD_PORT": "abc"}
    proc = subprocess.run([*POSTGUARD, "serve"], capture_output=True, text=True, timeout=60, env=env)
    message = "postguard: error: POSTGUARD_PORT: Input should be a valid integer, unable to parse string as an integer\n"
    assert (proc.returncode, proc.stderr) == (2, message)
    proc = subprocess.run([*POSTGUARD, "serve", "--port", "70000"], capture_output=True, text=True, timeout=60, env=env)
    assert (proc.returncode, proc.stderr) == (2, "postguard: error: --port: Input should be less than or equal to 65535\n")


def test_metrics_give_each_step_of_the_start(server):
    text = httpx2.get(server.url + "/metrics", timeout=10).text
    steps = {
        line.split('"')[1]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('postguard_start_seconds{step="')
    }
    assert list(steps) == [
        "spaCy pipeline", "checks of the default policy", "other policies and platforms", "warm-up",
        "check processes", "decision log",
    ]
    assert all(0 <= s < server.ready_after for s in steps.values())
    assert sum(steps.values()) < server.ready_after
