"""Checkpoint: how far a scan has got, so an interrupted one goes on where it stopped (``--resume``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from postguard.errors import InputError

VERSION = 1


def checkpoint_path(output: Path) -> Path:
    return output.with_name(output.name + ".checkpoint.json")


def journal_path(output: Path) -> Path:
    return output.with_name(output.name + ".journal.jsonl")


def save(path: Path, state: dict[str, Any]) -> None:
    """Write ``state`` atomically: a crash leaves the old checkpoint or the new one, never half."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"version": VERSION, **state}), encoding="utf-8")
    os.replace(tmp, path)


def load(path: Path, inputs: list[str], options: dict[str, Any]) -> dict[str, Any] | None:
    """The saved state, if it is for the same inputs and options; None when there is none."""
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: unreadable checkpoint ({exc}); delete it to start again") from None
    if state.get("version") != VERSION or state.get("inputs") != inputs or state.get("options") != options:
        raise InputError(
            f"{path} is for another scan (other inputs or options); run the same command to resume, "
            "or delete it to start again"
        )
    return state
