"""The benchmark runner finds every topic and the speed benchmark's inputs are what it says."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_runner_lists_every_topic(capsys):
    run = load("run")
    assert run.main(["--list"]) == 0
    listed = capsys.readouterr().out.split()
    assert "speed" in listed and "run" not in listed
    assert listed == sorted(p.stem for p in BENCHMARKS.glob("*.py") if "def main(" in p.read_text() and p.stem != "run")


def test_runner_rejects_unknown_topics(capsys):
    run = load("run")
    with pytest.raises(SystemExit) as exc:
        run.main(["--only", "nope"])
    assert exc.value.code == 2
    assert "unknown topic 'nope'" in capsys.readouterr().err


def test_runner_stops_a_topic_past_its_time(tmp_path, monkeypatch):
    run = load("run")
    (tmp_path / "sleepy.py").write_text(
        "import time, sys\ndef main(argv=None):\n    time.sleep(60)\nif __name__ == '__main__':\n    main()\n"
    )
    monkeypatch.setattr(run, "HERE", tmp_path)
    status, seconds = run.run_topic("sleepy", tmp_path, timeout=1)
    assert status == "timed out after 1 s" and seconds < 30


def test_blog_post_is_about_10_kb_and_deterministic():
    speed = load("speed")
    post = speed.blog_post()
    assert post == speed.blog_post()
    assert 10 * 1024 <= len(post.encode("utf-8")) <= 12 * 1024
    assert post.startswith("# ") and "](https://" in post and "```" in post


def test_calm_posts_counts_the_posts_a_report_holds(tmp_path, capsys):
    (tmp_path / "customer_care").mkdir()
    posts = [
        {"text": "Forgotten it? Reset it yourself at https://password.example.org/reset any time.", "official": True},
        {"text": "Use https://sso.example.org/reset?token=abc123xyz to get back in", "official": True},
        {"text": "This is the worst service ever", "official": False},
    ]
    (tmp_path / "customer_care" / "dev.jsonl").write_text("\n".join(json.dumps(p) for p in posts), encoding="utf-8")
    assert load("calm_posts").main(["--data", str(tmp_path), "--rules-only"]) == 0
    out = capsys.readouterr().out
    assert "official posts: 2 (policy default-rules-only, platform generic)" in out
    assert "warn-or-block rate: 50.0% (1)" in out
    assert "secret.reset_link" in out


def test_report_kept_counts_every_finding_the_checks_made(tmp_path, capsys):
    (tmp_path / "tweeteval_emotion").mkdir()
    rows = "id,text,label,label_name\na,\"Email jane.doe@example.com, your password is Winter2024!\",0,anger\nb,Lovely day,1,joy\n"
    (tmp_path / "tweeteval_emotion" / "validation.csv").write_text(rows, encoding="utf-8")
    assert load("report_kept").main(["--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    kept, total = out.split("findings kept: ")[1].split()[0].split("/")
    assert kept == total and int(total) >= 3  # the password twice (merged) and the address
    assert "anger from the report: recall" in out
