"""The library example in docs/api.md runs as written."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_the_decisions_example_runs(tmp_path, monkeypatch, capsys):
    section = DOC.read_text(encoding="utf-8").split("## Decisions and stats", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], re.S)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(DOC), "exec"), {})
    out = capsys.readouterr().out
    assert "posted anyway 1" in out and "Public address" in out
    assert b"jane.doe" not in (tmp_path / "decisions.db").read_bytes()
