"""The same scan on a Dask LocalCluster (2 worker processes) gives the same reports as the local run."""

from __future__ import annotations

import json
import os
import sys

import pytest
from exports import mastodon_archive, wxr, x_archive

import postguard
from postguard.cli import main

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # two worker processes load the models


def scan_to(path, *argv):
    old = sys.stderr
    sys.stderr = open(os.devnull, "w")
    try:
        code = main(["scan", *map(str, argv), "--output", str(path)])
    finally:
        sys.stderr.close()
        sys.stderr = old
    return code, [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def comparable(pairs):
    return [(p.id, r.model_dump(exclude={"timings_ms"})) for p, r in pairs]


def test_local_cluster_equals_the_local_run(tmp_path):
    paths = [x_archive(tmp_path), wxr(tmp_path / "blog.xml"), mastodon_archive(tmp_path)]
    here = comparable(postguard.scan(paths))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as cluster:
        there = comparable(postguard.scan(paths, dask=cluster.scheduler_address, batch_size=2))
        cli_there = scan_to(tmp_path / "dask.jsonl", *paths, "--dask", cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            # No worker built its checker twice (the models are loaded once per worker).
            built = client.run(lambda: len(__import__("postguard.scan.cluster", fromlist=["_CHECKERS"])._CHECKERS))
    assert there == here and any(r["findings"] for _, r in here)
    assert cli_there == scan_to(tmp_path / "here.jsonl", *paths) and cli_there[1]
    assert len(built) == 2 and max(built.values()) == 1
