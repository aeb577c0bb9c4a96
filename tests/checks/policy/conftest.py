"""Helpers for writing small rule packs and Vale styles into tmp directories."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def write_rule(tmp_path: Path):
    """``write_rule("pack", "name", yaml_text) -> path`` under a fresh rules root."""

    def write(pack: str, name: str, text: str, suffix: str = ".yaml") -> Path:
        directory = tmp_path / "rules" / pack
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{name}{suffix}"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
