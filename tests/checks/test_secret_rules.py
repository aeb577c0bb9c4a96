"""The vendored gitleaks rules: shipped with their licence, RE2-safe, gated by keyword, and the
refresh script reproduces the shipped data."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import re2

from postguard.checks.secret_rules import SecretRules, default_rules, load_data

ROOT = Path(__file__).resolve().parents[2]
# the shared data folder beside the checkout (or beside the folder of worktrees)
SOURCE = next(
    (p / "shared" / "data" / "secret_rules" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT / "missing",
)


def test_shipped_with_licence_and_every_pattern_compiles_under_re2():
    data = load_data()
    assert (resources.files("postguard") / "data" / "LICENSE-gitleaks.txt").read_text().startswith("MIT License")
    assert len(data["rules"]) + len(data["skipped"]) == 222
    assert len(data["rules"]) == 217
    for r in data["rules"]:
        re2.compile(r["regex"])
    assert {s["id"] for s in data["skipped"]} == {
        "freemius-secret-key", "hashicorp-tf-password", "kubernetes-secret-yaml", "nuget-config-password", "pkcs12-file",
    }


def test_keyword_gate_finds_overlapping_keywords_and_compiles_lazily():
    rules = SecretRules(load_data())
    assert rules._compiled == {}
    # "ey" (jwt) sits inside "key"; both gates must open
    gated = {rules.ids[i] for i in rules._gated("my key is eyj")}
    assert {"jwt", "generic-api-key"} <= gated
    assert rules._gated("the library opens at nine") == []
    assert rules.find("the library opens at nine") == [] and rules._compiled == {}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("token ghp_" + "R8x2Lq0ZpT4mV7nK1cW9yB3hJ6dF5sA2eG0u", "github-pat"),
        ("npm_" + "Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr", "npm-access-token"),
    ],
)
def test_a_rule_finds_its_secret(text, rule):
    (hit,) = [h for h in default_rules().find(text) if h.rule.id == rule]
    assert text[hit.start : hit.end] == text.split()[-1]


def test_allowlists_apply():
    def aws(text):
        return [h for h in default_rules().find(text) if h.rule.id == "aws-access-token"]

    assert len(aws("AKIA" + "QX4MZ7RL2VNBT6PW")) == 1
    assert aws("AKIAIOSFODNN7EXAMPLE") == []  # gitleaks' own allowlist: AWS's documentation key


@pytest.mark.skipif(not SOURCE.exists(), reason="the gitleaks source folder is not on this machine")
def test_refresh_script_reproduces_the_shipped_data(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor_secret_rules.py"), str(SOURCE), "--out", str(tmp_path)],
        check=True, capture_output=True, text=True,
    ).stdout
    assert out.startswith("217 of 222 gitleaks rules vendored")
    assert json.loads((tmp_path / "secret_rules.json").read_text()) == load_data()
