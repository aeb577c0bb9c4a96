"""``postguard stats``: the same figures as the stats, as a table or JSON."""

from __future__ import annotations

import json
import time

from postguard.cli import main
from postguard.decisions import Decision, DecisionLog

T0 = int(time.time()) - 86_400


def _fill(path):
    store = DecisionLog.sqlite(path, retention_days=100_000)
    store.record_many([
        Decision.from_findings([("pii.email", "pii", "block")], check_id="a", outcome="edited", verdict="block", at=T0),
        Decision.from_findings(
            [("pii.email", "pii", "block")], check_id="b", outcome="posted_anyway", verdict="block",
            reason="Our public address", at=T0,
        ),
        Decision(check_id="c", outcome="posted_clean", at=T0),
    ])
    store.close()


def test_stats_table(tmp_path, monkeypatch, capsys):
    _fill(tmp_path / "postguard.db")
    monkeypatch.setenv("POSTGUARD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("POSTGUARD_DATABASE_URL", raising=False)
    assert main(["stats"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "checks 3  held 2  edited 1  posted anyway 1  cancelled 0  posted clean 1  nudge rate 50%",
        "",
        "rule       fired   held  edited  anyway  cancelled  nudge",
        "pii.email      2      2       1       1          0    50%",
        "",
        "reasons for posting anyway",
        "    1  Our public address",
    ]


def test_stats_json_and_filters(tmp_path, capsys):
    _fill(tmp_path / "log.db")
    url = f"sqlite:///{tmp_path / 'log.db'}"
    assert main(["stats", "--database-url", url, "-o", "json", "--since", "2026-01-01"]) == 0
    assert json.loads(capsys.readouterr().out)["checks"] == 3
    assert main(["stats", "--database-url", url, "-o", "json", "--platform", "mastodon"]) == 0
    assert json.loads(capsys.readouterr().out)["checks"] == 0


def test_no_log_yet(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POSTGUARD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("POSTGUARD_DATABASE_URL", raising=False)
    assert main(["stats"]) == 2
    assert "no decision log" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
