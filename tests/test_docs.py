"""Every example in README.md and docs/*.md runs, and shows what it prints.

- ``python`` blocks run in one namespace per block; an expression followed by ``# <literal>``
  must equal that literal, and a block fenced as ``output`` right after gives the whole stdout.
- Shell blocks whose lines start with ``$ `` run each command in bash, in a fresh folder, with this
  interpreter's ``postguard`` first on PATH; the lines after a command are its stdout (a line ``...``
  stands for any number of lines).
- ``yaml`` blocks starting ``# rules/<pack>/<name>.yaml`` load as that rule and pass its own
  examples; those with a top-level ``extends:`` load as a policy and check a post.
- Anything else, or anything that cannot run here, says why just before the block:
  ``<!-- not-run: reason -->``. A block with neither fails, so a new example is never left unrun.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)\s*$")
_NOT_RUN = re.compile(r"^<!--\s*not-run:\s*(?P<reason>.+?)\s*-->$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown file."""

    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    not_run: str | None  # the reason given in a <!-- not-run: ... --> just before it
    output: str | None = None  # the ``output`` block right after a python block

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def read_blocks(path: Path) -> list[Block]:
    """Every fenced block of ``path``, with the not-run reason before it and the output after it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i, before = 0, ""
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            if lines[i].strip():
                before = lines[i].strip()
            i += 1
            continue
        start, fence, indent = i, m["fence"], len(m["indent"])
        body = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            # An indented fence's block loses that indent, and no more.
            body.append(lines[i][min(indent, len(lines[i]) - len(lines[i].lstrip(" "))) :])
            i += 1
        i += 1
        reason = _NOT_RUN.match(before)
        block = Block(path, start + 1, m["lang"], "\n".join(body) + "\n", reason["reason"] if reason else None)
        if block.lang == "output" and found and found[-1].lang == "python" and found[-1].output is None:
            found[-1] = Block(**{**found[-1].__dict__, "output": block.text})
        else:
            found.append(block)
        before = ""
    return found


BLOCKS = [b for path in DOCS for b in read_blocks(path)]


def _params(kind: str) -> list:
    return [pytest.param(b, id=b.id) for b in BLOCKS if b.not_run is None and _kind(b) == kind]


def _kind(block: Block) -> str:
    if block.lang in ("python", "py"):
        return "python"
    if block.lang in ("yaml", "yml"):
        first = block.text.lstrip().splitlines()[0] if block.text.strip() else ""
        if re.match(r"#\s*rules/[\w-]+/[\w-]+\.yaml$", first):
            return "rule"
        if re.search(r"^extends:", block.text, re.M):
            return "policy"
        return "other"
    if block.lang in ("", "sh", "shell", "console", "bash") and block.text.lstrip().startswith("$ "):
        return "shell"
    return "other"


def test_every_block_runs_or_says_why_not():
    unrun = [f"{b.id} ({b.lang or 'no language'})" for b in BLOCKS if b.not_run is None and _kind(b) == "other"]
    assert not unrun, "give these blocks a <!-- not-run: reason --> line, or make them runnable: " + ", ".join(unrun)
    assert any(_kind(b) == "python" and b.not_run is None for b in BLOCKS)
    assert any(_kind(b) == "shell" and b.not_run is None for b in BLOCKS)


# --------------------------------------------------------------------------------------------
# python


def _shown_values(source: str) -> dict[int, object]:
    """Line number -> the literal in a ``# <literal>`` comment that ends that line."""
    shown = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            try:
                shown[tok.start[0]] = ast.literal_eval(tok.string[1:].strip())
            except (ValueError, SyntaxError):
                pass  # an ordinary comment
    return shown


@pytest.mark.parametrize("block", _params("python"))
def test_python_example(block: Block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree = ast.parse(block.text, filename=block.id)
    shown = _shown_values(block.text)
    namespace: dict = {"__name__": "__docs__"}
    stdout = io.StringIO()
    compared = 0
    with contextlib.redirect_stdout(stdout):
        for node in tree.body:
            expected = shown.get(node.end_lineno, ...)
            if isinstance(node, ast.Expr) and expected is not ...:
                value = eval(compile(ast.Expression(node.value), block.id, "eval"), namespace)
                assert value == expected, f"{block.id}+{node.lineno}: shows {expected!r}, gives {value!r}"
                compared += 1
            else:
                exec(compile(ast.Module([node], type_ignores=[]), block.id, "exec"), namespace)
    if block.output is not None:
        assert stdout.getvalue() == block.output
    assert compared or block.output is not None, f"{block.id} shows no value or output to compare"


# --------------------------------------------------------------------------------------------
# shell


def _commands(text: str) -> list[tuple[str, list[str]]]:
    """``$ command`` lines (joined over trailing backslashes) with the output lines shown after."""
    sessions: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command[:-1] + "\n" + lines[i]
            sessions.append((command, []))
        elif sessions:
            sessions[-1][1].append(line)
        i += 1
    return sessions


def _matches(shown: list[str], got: list[str]) -> bool:
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line + "\n") for line in shown)
    return re.fullmatch(pattern, "".join(g + "\n" for g in got)) is not None


@pytest.mark.parametrize("block", _params("shell"))
def test_shell_example(block: Block, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTGUARD_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    for command, shown in _commands(block.text):
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert "Traceback" not in done.stderr, done.stderr
        got = done.stdout.splitlines()
        assert _matches(shown, got), f"{block.id}: $ {command}\nshown:\n" + "\n".join(shown) + "\ngot:\n" + done.stdout


# --------------------------------------------------------------------------------------------
# yaml


@pytest.mark.parametrize("block", _params("rule"))
def test_rule_example(block: Block, tmp_path):
    from postguard.checks.policy.loader import load_rule_file
    from postguard.checks.policy.selftest import run_examples

    name = block.text.lstrip().splitlines()[0].split("#", 1)[1].strip()
    path = tmp_path / name
    path.parent.mkdir(parents=True)
    path.write_text(block.text, encoding="utf-8")
    rule = load_rule_file(path, pack=path.parent.name)
    results = run_examples(rule)
    assert results and all(r.ok for r in results), [r.diff() for r in results if not r.ok]


@pytest.mark.parametrize("block", _params("policy"))
def test_policy_example(block: Block, tmp_path):
    from postguard.engine import Checker
    from postguard.policy import load_policy

    path = tmp_path / "policy.yaml"
    path.write_text(block.text, encoding="utf-8")
    policy = load_policy(path)
    Checker(policy=policy).check("A short update from the service desk.")
