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


def test_scan_verdict_says_whether_two_jobs_reach_the_target():
    scan = load("scan")
    one = {"posts_s": 100.0, "parent_ms": 3.0, "workers_ms": 0.0}
    fast = {"posts_s": 185.0, "parent_ms": 0.05, "workers_ms": 3.1}
    slow = {"posts_s": 150.0, "parent_ms": 0.3, "workers_ms": 3.3}
    assert scan.verdict({"--jobs 1": one, "--jobs 2": fast}) == (
        "--jobs 2 / --jobs 1: 1.85x posts/s (target 1.8x: met); "
        "3.00 vs 3.15 ms CPU per post, so 1.90x on two free cores")
    assert "1.50x posts/s (target 1.8x: NOT met)" in scan.verdict({"--jobs 1": one, "--jobs 2": slow})
    assert scan.verdict({"--jobs 1": one}) is None


def test_scan_rss_ratio_is_the_largest_archive_against_the_smallest():
    line = load("scan").rss_ratio({5000: 250.0, 40000: 255.0})
    assert line == "peak RSS at 40,000 / at 5,000 tweets: 255 / 250 MB = 1.02x (8x the tweets)"


def test_cache_hit_rates_replay_the_keys_through_each_kind_of_cache():
    caches = load("caches")
    keys = ["a", "b", "a", "c", "a", "b"]
    # LRU of 2: a b [a] c [a] b -> 2 hits; emptied when full at 2: a b [a] (empty) c a (empty) b -> 1
    assert caches.lru_hits(keys, 2) == 2 / 6
    assert caches.clear_hits(keys, 2) == 1 / 6
    assert caches.lru_hits(keys, 3) == caches.clear_hits(keys, 3) == 3 / 6


@pytest.mark.slow  # two real scans, each loading the models
def test_scan_benchmark_splits_the_cpu_between_the_scan_and_its_workers(tmp_path, capsys):
    tweets = tmp_path / "train.csv"
    texts = ["Email jane.doe@example.com about the outage", "What a shitty day for the network",
             "The VPN is back up, thanks for your patience!"]
    tweets.write_text("id,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(texts)), encoding="utf-8")
    load("scan").main([str(tweets), "--size", "300", "--jobs", "1,2"])
    out = capsys.readouterr().out
    rows = {line[:18].strip(): line[18:].split() for line in out.splitlines() if line.startswith("--jobs ")}
    # posts/s, ratio, steady/s, ratio, first update (2), peak RSS (2), tree RSS (2), cores,
    # CPU ms/post of the scan, its workers and both, the load's CPU (2), findings, load average
    one, two = rows["--jobs 1"], rows["--jobs 2"]
    assert float(one[11]) > 0.5 and float(one[12]) == 0  # --jobs 1 checks in its own process
    assert float(two[11]) < float(one[11]) / 2 and float(two[12]) > 0.5  # --jobs 2: in its workers
    assert one[16] == two[16] and int(one[16].replace(",", "")) >= 200  # the same findings (2 of 3 tweets)
    assert "--jobs 2 / --jobs 1: " in out and "target 1.8x: " in out and "on two free cores" in out
