"""`postguard scan` end to end with the real checks: outputs, offsets, filters, jobs, resume, exit codes."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from exports import bluesky_car, mastodon_archive, markdown_folder, wxr, x_archive

import postguard
from postguard.cli import main
from postguard.scan import runner
from postguard.scan.readers import read
from postguard.scan.record import PublishedPost

WORDS_POLICY = "name: words\nchecks:\n  platform: {}\n  profanity: {enabled: true}\n"

SARIF_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8")
)


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def texts_by_id(*paths) -> dict[str, str]:
    return {p.id: p.text for path in paths for p in read(path) if isinstance(p, PublishedPost)}


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    return {"x": x_archive(folder), "wp": wxr(folder / "blog.xml"), "mastodon": mastodon_archive(folder),
            "bluesky": bluesky_car(folder / "repo.car"), "markdown": markdown_folder(folder)}


def test_every_format_round_trips_ids_and_offsets(exports, tmp_path):
    out = tmp_path / "report.jsonl"
    paths = [str(p) for p in exports.values()]
    code, stdout, err = run(["scan", *paths, "--output", str(out)])
    found = rows(out)
    assert code == (1 if any(r["severity"] == "block" for r in found) else 0), err
    texts = texts_by_id(*exports.values())
    assert found and {r["post_id"] for r in found} <= set(texts)
    for r in found:
        assert texts[r["post_id"]][r["start"] : r["end"]] == r["excerpt"]
    by_post = {r["post_id"]: r for r in found}
    # What each export's risky post holds is found there.
    assert by_post["1001"]["platform"] == "x" and by_post["1001"]["url"].endswith("/status/1001")
    assert any(r["post_id"] == "1001" and r["entity"] == "EMAIL_ADDRESS" for r in found)
    assert any(r["post_id"] == "13" and r["category"] == "secret" for r in found)  # the WordPress draft
    assert by_post["13"]["status"] == "draft"
    assert any(r["post_id"].startswith("at://") and r["entity"] == "PHONE_NUMBER" for r in found)
    assert any(r["post_id"] == "2022/vpn.md" for r in found)
    assert f"postguard: {len(texts)} posts in" in err and "0 read errors" in err


def test_csv_and_sarif_carry_the_same_findings(exports, tmp_path):
    paths = [str(exports["x"]), str(exports["wp"])]
    run(["scan", *paths, "--output", str(tmp_path / "r.jsonl")])
    run(["scan", *paths, "--output", str(tmp_path / "r.csv")])
    run(["scan", *paths, "--output", str(tmp_path / "r.sarif")])
    expected = [(r["post_id"], r["rule_id"], r["start"], r["end"]) for r in rows(tmp_path / "r.jsonl")]
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as f:
        assert [(r["post_id"], r["rule_id"], int(r["start"]), int(r["end"])) for r in csv.DictReader(f)] == expected
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [(r["properties"]["postId"], r["ruleId"]) for r in results] == [e[:2] for e in expected]
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == {e[1] for e in expected}


def test_since_until_and_min_severity(exports, tmp_path):
    out = tmp_path / "r.jsonl"
    run(["scan", str(exports["x"]), str(exports["mastodon"]), "--since", "2020-01-01", "--until", "2023-01-01",
         "--output", str(out)])
    assert {r["post_id"] for r in rows(out)} <= {"1002", "1003", "https://mastodon.example/users/desk/statuses/1"}
    assert "https://mastodon.example/users/desk/statuses/1" in {r["post_id"] for r in rows(out)}
    run(["scan", str(exports["wp"]), "--min-severity", "block", "--output", str(out)])
    assert rows(out) and {r["severity"] for r in rows(out)} == {"block"}


def test_two_jobs_give_the_same_report(exports, tmp_path):
    paths = [str(p) for p in exports.values()]
    run(["scan", *paths, "--output", str(tmp_path / "one.jsonl")])
    run(["scan", *paths, "--jobs", "2", "--output", str(tmp_path / "two.jsonl")])
    assert rows(tmp_path / "two.jsonl") == rows(tmp_path / "one.jsonl")


def test_stdout_lines_without_an_output(exports):
    code, stdout, _ = run(["scan", str(exports["x"])])
    assert "https://x.com/uniservicedesk/status/1001 2018-10-10T20:19:24+00:00 " in stdout


def test_resume_after_an_interrupt_gives_the_uninterrupted_report(tmp_path, monkeypatch):
    policy = tmp_path / "words.yaml"
    policy.write_text(WORDS_POLICY, encoding="utf-8")
    posts = tmp_path / "posts.csv"
    with open(posts, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i in range(400):
            w.writerow([f"p{i}", f"post {i}: " + ("what a shitty outage" if i % 7 == 0 else "all good")])
    whole, part = tmp_path / "whole.jsonl", tmp_path / "part.jsonl"
    assert run(["scan", str(posts), "--policy", str(policy), "--output", str(whole)])[0] == 0

    real_scan = runner.scan_batches

    def interrupted(*args, **kwargs):
        for i, item in enumerate(real_scan(*args, **kwargs)):
            if i == 4:  # while waiting for the fifth batch of 50
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr(runner, "scan_batches", interrupted)
    code, _, err = run(["scan", str(posts), "--policy", str(policy), "--output", str(part)])
    assert code == 130 and "--resume" in err
    state = json.loads((tmp_path / "part.jsonl.checkpoint.json").read_text(encoding="utf-8"))
    assert state["done"] == 200 and not part.exists()
    monkeypatch.undo()

    # Options must match the checkpoint's.
    code, _, err = run(["scan", str(posts), "--policy", str(policy), "--min-severity", "block", "--output", str(part), "--resume"])
    assert code == 2 and "another scan" in err
    code, _, err = run(["scan", str(posts), "--policy", str(policy), "--output", str(part), "--resume"])
    assert code == 0 and "resuming after 200 posts" in err and "400 posts" in err
    assert rows(part) == rows(whole) and len(rows(whole)) == len(range(0, 400, 7))
    assert not (tmp_path / "part.jsonl.checkpoint.json").exists() and not (tmp_path / "part.jsonl.journal.jsonl").exists()


def test_an_unreadable_input_is_reported_and_the_rest_scanned(exports, tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(exports["x"].read_bytes()[:200])
    out = tmp_path / "r.jsonl"
    code, _, err = run(["scan", str(bad), str(exports["x"]), "--output", str(out)])
    assert code == 2
    assert f"postguard: warning: {bad}" in err and "1 read errors" in err
    assert "1001" in {r["post_id"] for r in rows(out)}


@pytest.mark.parametrize("argv, message", [
    (["--resume"], "--resume needs --output"),
    (["--output", "r.pdf"], "--output suffix '.pdf' is not one of"),
    (["--output", "no/such/folder/r.html"], "--output no/such/folder/r.html: no such folder 'no/such/folder'"),
    (["--jobs", "2", "--dask", "tcp://127.0.0.1:1"], "alternatives"),
])
def test_usage_errors(exports, argv, message):
    code, _, err = run(["scan", str(exports["x"]), *argv])
    assert code == 2 and message in err


def test_python_api_yields_posts_and_reports(exports):
    pairs = list(postguard.scan([exports["x"], exports["wp"]]))
    assert [p.id for p, _ in pairs] == ["1001", "1002", "1003", "11", "12", "13", "14"]
    for post, report in pairs:
        for f in report.findings:
            assert post.text[f.start : f.end] == f.excerpt
    assert Counter(r.verdict for _, r in pairs)["pass"] >= 1


def test_missing_extras_say_what_to_install(exports, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, _, err = run(["scan", str(exports["x"]), "--dask", "tcp://127.0.0.1:1"])
    assert code == 2 and "pip install 'postguard[dask]'" in err
    monkeypatch.setitem(sys.modules, "libipld", None)
    code, _, err = run(["scan", str(exports["bluesky"])])
    assert code == 2 and f"{exports['bluesky']}: reading a Bluesky .car needs libipld: pip install 'postguard[scan]'" in err


def test_ctrl_c_on_two_jobs_then_resume(tmp_path):
    """A real SIGINT to the running command: exit 130, a checkpoint, and --resume finishes the same report."""
    import signal
    import subprocess
    import time

    policy = tmp_path / "words.yaml"
    policy.write_text(WORDS_POLICY, encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    with open(posts, "w", encoding="utf-8") as f:
        for i in range(20_000):
            f.write(json.dumps({"id": f"p{i}", "text": f"post {i}: " + ("damn it" if i % 11 == 0 else "fine")}) + "\n")
    out, ckpt = tmp_path / "r.jsonl", tmp_path / "r.jsonl.checkpoint.json"
    cmd = [sys.executable, "-m", "postguard", "scan", str(posts), "--policy", str(policy), "--jobs", "2",
           "--output", str(out)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ckpt.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "--resume" in err
    done = json.loads(ckpt.read_text(encoding="utf-8"))["done"]
    assert 0 < done < 20_000

    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming after {done:,} posts" in resumed.stderr
    ids = [r["post_id"] for r in rows(out)]
    assert ids == [f"p{i}" for i in range(0, 20_000, 11)]
    assert not ckpt.exists() and not any(p.name.startswith("r.jsonl.") for p in tmp_path.iterdir())


def test_sarif_places_markdown_findings_in_the_file(exports, tmp_path):
    out = tmp_path / "r.sarif"
    run(["scan", str(exports["markdown"]), "--output", str(out)])
    sarif = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    assert sarif["runs"][0]["columnKind"] == "unicodeCodePoints"
    results = sarif["runs"][0]["results"]
    assert results
    for r in results:
        loc = r["locations"][0]["physicalLocation"]
        text = Path(loc["artifactLocation"]["uri"]).read_text(encoding="utf-8")
        region = loc["region"]
        start = region["charOffset"]
        assert text[start : start + region["charLength"]] == region["snippet"]["text"]


SECRETS_POLICY = "name: secrets\nchecks:\n  platform: {}\n  secrets: {enabled: true}\n"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sarif", ".html"])
def test_a_lone_surrogate_from_a_json_export_is_written_escaped(tmp_path, suffix):
    """JSON may hold half an emoji ("\\ud83d"); UTF-8 cannot: every report writes it as an escape."""
    policy = tmp_path / "secrets.yaml"
    policy.write_text(SECRETS_POLICY, encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": "p1", "text": "password: Hunter2!\ud83d for the kiosk"}) + "\n", encoding="utf-8")
    out = tmp_path / f"r{suffix}"
    code, _, err = run(["scan", str(posts), "--policy", str(policy), "--output", str(out)])
    assert code == 1, err
    written = out.read_text(encoding="utf-8")
    assert "Hunter2!\\ud83d" in written
    if suffix == ".jsonl":
        assert [r["excerpt"] for r in rows(out)] == ["Hunter2!\ud83d"]
    assert not list(tmp_path.glob("r*.journal.jsonl"))


def test_a_lone_surrogate_is_printed_escaped_on_stdout(tmp_path):
    import os
    import subprocess

    policy = tmp_path / "secrets.yaml"
    policy.write_text(SECRETS_POLICY, encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": "p1", "text": "password: Hunter2!\ud83d"}) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "postguard", "scan", str(posts), "--policy", str(policy)],
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)
    assert proc.returncode == 1, proc.stderr.decode()
    assert b"secret.password" in proc.stdout and b"[Hunter2!\\ud83d]" in proc.stdout
