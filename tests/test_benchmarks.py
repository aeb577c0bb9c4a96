"""The benchmark runner finds every topic and the speed benchmark's inputs are what it says."""

from __future__ import annotations

import importlib.util
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
