"""Golden output and exit codes of `postguard rules test` and `postguard rules list`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from postguard.cli import main

OK_RULE = """
kind: phrase
severity: block
message: "'{match}' is internal"
description: Internal markers
phrases: [internal only]
examples:
  flag: ["Slides ([[internal only]])"]
  pass: ["Our internal review"]
"""

FAILING_RULE = """
kind: substitution
severity: info
message: "Use '{suggest}'"
description: House words
swap: {e-mail: email}
examples:
  flag:
    - "Send an [[e-mail]] today"
    - "Send [[an e-mail]] today"
  pass:
    - "Send an email today"
    - "My e-mail"
"""


@pytest.fixture
def pack(write_rule, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_rule("house", "internal", OK_RULE)
    return tmp_path / "rules"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["rules", *argv])
    return code, capsys.readouterr().out


def test_rules_test_passes(pack, capsys):
    assert run(capsys, "test", "rules") == (0, "ok: 1 rules, 2 examples\n")


def test_rules_test_verbose_lists_every_example(pack, capsys):
    assert run(capsys, "test", "-v", "rules/house/internal.yaml") == (
        0,
        "rules/house/internal.yaml:7 ok house.internal flag 'Slides (internal only)'\n"
        "rules/house/internal.yaml:8 ok house.internal pass 'Our internal review'\n"
        "ok: 1 rules, 2 examples\n",
    )


def test_rules_test_fails_with_a_diff_of_spans(pack, write_rule, capsys):
    write_rule("house", "words", FAILING_RULE)
    assert run(capsys, "test", "rules/") == (
        1,
        "rules/house/words.yaml:9 FAIL house.words flag 'Send an e-mail today'\n"
        "  - 5-14 'an e-mail'\n"
        "  + 8-14 'e-mail'\n"
        "rules/house/words.yaml:12 FAIL house.words pass 'My e-mail'\n"
        "  + 3-9 'e-mail'\n"
        "FAILED: 2 rules, 6 examples: 2 failed examples in 1 rules\n",
    )


def test_rules_test_reports_invalid_files_and_fails(pack, write_rule, capsys):
    write_rule("house", "broken", OK_RULE.replace("kind: phrase", "kind: wordlist"))
    code, out = run(capsys, "test", "rules")
    assert code == 1
    assert out.splitlines() == [
        "rules/house/broken.yaml:1: house.broken: kind 'wordlist' is not one of: "
        "capitalization, conditional, consistency, date, entity, link, metric, occurrence, pattern, phrase, "
        "repetition, sequence, spelling, styled, substitution",
        "FAILED: 1 rules, 2 examples: 1 invalid rule files",
    ]


def test_rules_test_missing_path_is_a_usage_error(pack, capsys):
    assert main(["rules", "test", "nowhere"]) == 2
    assert capsys.readouterr().err == "postguard: error: nowhere: no such file or directory\n"


def test_rules_test_on_a_folder_without_rules_is_a_usage_error(pack, capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    assert main(["rules", "test", "empty"]) == 2
    assert capsys.readouterr().err == "postguard: error: empty: no rule files (*.yaml, *.yml) in it or in its sub-folders\n"


def test_rules_list_golden(pack, write_rule, capsys):
    write_rule("house", "words", FAILING_RULE)
    assert run(capsys, "list", "rules") == (
        0,
        "house.internal  phrase        block    Internal markers\n"
        "house.words     substitution  info     House words\n",
    )


def test_rules_list_shows_the_shipped_packs(capsys):
    code, out = run(capsys, "list")
    ids = [line.split()[0] for line in out.splitlines()]
    assert code == 0
    assert {i.split(".")[0] for i in ids} == {"inclusive", "servicedesk", "social", "style"}
    embargo = next(line for line in out.splitlines() if line.startswith("social.embargo "))
    assert embargo.split()[1:3] == ["date", "block"]


@pytest.mark.slow
def test_rules_test_on_the_shipped_packs_passes_from_the_command_line():
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "postguard"), "rules", "test"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("ok: ")
