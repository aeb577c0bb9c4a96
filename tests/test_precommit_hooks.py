"""The pre-commit hook manifest parses and points at the real ``postguard check`` command."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from identify.identify import ALL_TAGS
from pre_commit.clientlib import load_manifest

from postguard.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def hook() -> dict:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    return hooks[0]


def test_manifest_passes_pre_commits_own_schema():
    [hook] = load_manifest(str(MANIFEST))
    assert hook["id"] == "postguard"
    assert hook["pass_filenames"] is True


def test_hook_runs_postguard_check_on_markdown(hook):
    assert hook["entry"] == "postguard check"
    assert hook["language"] == "python"
    assert hook["types"] == ["markdown"]
    assert set(hook["types"]) <= ALL_TAGS


def test_entry_is_an_installed_console_script_and_subcommand(hook):
    program, subcommand = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[program] == "postguard.cli:main"
    args = build_parser().parse_args([subcommand, "post.md"])
    assert args.files == ["post.md"]


def script(program: str) -> str:
    path = Path(sys.executable).parent / program
    if not path.exists():
        pytest.skip(f"{program} is not installed beside {sys.executable}")
    return str(path)


def test_entry_checks_markdown_files_as_pre_commit_would(hook, tmp_path):
    clean = tmp_path / "2024-05-01-open-day.md"
    clean.write_text("# Open day\n\nJoin us on Saturday for tours and talks.\n", encoding="utf-8")
    long = tmp_path / "2024-05-02-notes.md"
    long.write_text("# Notes\n\n" + "word " * 200 + "\n", encoding="utf-8")
    policy = tmp_path / "policy.yaml"  # only the length check, so the outcome depends on it alone
    policy.write_text("checks: {platform: {}}\n", encoding="utf-8")
    program, subcommand = shlex.split(hook["entry"])
    command = [script(program), subcommand, "--policy", str(policy)]
    # pre-commit appends the staged Markdown files to the entry
    done = subprocess.run([*command, str(clean), str(long)], capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    done = subprocess.run(
        [*command, "--platform", "x", "--strict", str(clean), str(long)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 1
    [line] = done.stdout.splitlines()
    assert line.startswith(f"{long}:3:") and " warning platform.length X (Twitter) allows 280" in line
