"""Golden tests of `postguard check`: output lines, formats and exit codes."""

import io
import json
import sys
from pathlib import Path

import jsonschema
import pytest

from postguard.checks.base import BaseCheck, register_check
from postguard.cli import main

DATA = Path(__file__).parent / "data"
POLICY = str(DATA / "cli-policy.yaml")
SARIF_SCHEMA = json.loads((DATA / "sarif" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))


class WordCheck(BaseCheck):
    name = "cli-word"
    needs_doc = False

    def run(self, parsed):
        word = self.config["word"]
        i = parsed.text.find(word)
        while i != -1:
            yield parsed.finding(
                i, i + len(word), rule_id="test.word", category="policy",
                severity=self.config.get("severity", "warning"), message=f"Avoid {word!r}.",
                suggestion="gosh",
            )
            i = parsed.text.find(word, i + 1)


class PhraseCheck(WordCheck):
    """A second source over the same words, with no fix of its own."""

    name = "cli-phrase"

    def run(self, parsed):
        for f in super().run(parsed):
            yield f.model_copy(update={"rule_id": "test.phrase", "message": "Mind the tone.", "suggestion": None})


register_check("cli-word", WordCheck)
register_check("cli-phrase", PhraseCheck)


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_text_output_and_block_exit_code(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("# Update\n\nWell **darn**, the `darn` VPN is down.\nOh darn.\n", encoding="utf-8")
    code, out, err = run(["check", str(post), "--policy", POLICY, "--color", "never"])
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{post}:3:8 block test.word Avoid 'darn'. [darn] -> 'gosh'",
        f"{post}:4:4 block test.word Avoid 'darn'. [darn] -> 'gosh'",
    ]


def test_one_line_per_span_with_every_reason(tmp_path):
    policy = tmp_path / "groups.yaml"
    policy.write_text(
        "name: groups\nchecks:\n  cli-word: {word: darn, severity: block}\n"
        "  cli-phrase: {word: 'oh darn it', severity: warning}\n",
        encoding="utf-8",
    )
    code, out, _ = run(["check", "--policy", str(policy), "--color", "never"], stdin="Well, oh darn it.\nDarn.\ndarn")
    assert code == 1
    assert out.splitlines() == [
        "<stdin>:1:7 block [oh darn it] 2 reasons: block test.word Avoid 'darn'. [darn] -> 'gosh'; "
        "warning test.phrase Mind the tone.",
        "<stdin>:3:1 block test.word Avoid 'darn'. [darn] -> 'gosh'",
    ]
    code, out, _ = run(["check", "--policy", str(policy), "--color", "never", "--min-severity", "block"], stdin="oh darn it")
    assert out.splitlines() == ["<stdin>:1:4 block test.word Avoid 'darn'. [darn] -> 'gosh'"]


def test_clean_text_passes_with_no_output():
    assert run(["check", "--policy", POLICY], stdin="All services are running normally.") == (0, "", "")


def test_warn_exits_zero_unless_strict(tmp_path):
    long = "word " * 60
    assert run(["check", "--policy", POLICY, "--platform", "x"], stdin=long)[0] == 0
    code, out, _ = run(["check", "--policy", POLICY, "--platform", "x", "--strict"], stdin=long)
    assert code == 1
    assert out.startswith("<stdin>:1:281 warning platform.length X (Twitter) allows 280 weighted characters;")


def test_min_severity_filters_output():
    code, out, _ = run(["check", "--policy", POLICY, "--platform", "x", "--min-severity", "block"], stdin="word " * 60)
    assert (code, out) == (0, "")


def test_json_output_has_the_report_schema():
    code, out, _ = run(["check", "-", "--policy", POLICY, "--output", "json"], stdin="oh darn")
    assert code == 1
    [doc] = json.loads(out)
    assert doc["path"] == "<stdin>"
    assert doc["verdict"] == "block"
    assert doc["findings"][0] | {} == {
        "rule_id": "test.word", "category": "policy", "severity": "block", "start": 3, "end": 7,
        "excerpt": "darn", "message": "Avoid 'darn'.", "suggestion": "gosh", "link": None,
        "score": None, "entity": None, "also_found_by": [], "id": "test.word@3-7",
    }
    assert doc["groups"] == [{"start": 3, "end": 7, "severity": "block", "findings": ["test.word@3-7"]}]


def sarif_regions(out: str) -> list[dict]:
    sarif = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["columnKind"] == "utf16CodeUnits"
    return [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]]


def test_sarif_output():
    code, out, _ = run(["check", "--policy", POLICY, "--output", "sarif"], stdin="line one\noh darn")
    [result] = json.loads(out)["runs"][0]["results"]
    assert result["ruleId"] == "test.word"
    assert result["level"] == "error"
    [region] = sarif_regions(out)
    assert (region["startLine"], region["startColumn"], region["charOffset"], region["charLength"]) == (2, 4, 12, 4)


def test_sarif_columns_after_an_emoji_are_utf16_code_units():
    text = "\U0001f389 oh darn\n\U0001f389\U0001f389 darn, \u00e9 darn"
    code, out, _ = run(["check", "--policy", POLICY, "--output", "sarif"], stdin=text)
    regions = sarif_regions(out)
    # Where a JavaScript editor (UTF-16) puts each column: the emoji takes two, the é one.
    assert [(r["startLine"], r["startColumn"], r["endColumn"]) for r in regions] == [(1, 7, 11), (2, 6, 10), (2, 14, 18)]
    units, lines = text.encode("utf-16-le"), [line.encode("utf-16-le") for line in text.split("\n")]
    for r in regions:
        assert units[2 * r["charOffset"] : 2 * (r["charOffset"] + r["charLength"])].decode("utf-16-le") == "darn"
        line = lines[r["startLine"] - 1]
        assert line[2 * (r["startColumn"] - 1) : 2 * (r["endColumn"] - 1)].decode("utf-16-le") == "darn"
        assert r["snippet"]["text"] == "darn"


def test_sarif_of_the_default_policy_passes_the_schema():
    text = "\U0001f512 Guest wifi password: library123\nEmail jane.doe@example.ac.uk, what the hell"
    code, out, _ = run(["check", "--output", "sarif"], stdin=text)
    results = json.loads(out)["runs"][0]["results"]
    [result] = [r for r in results if r["ruleId"] == "secret.password"]
    assert result["properties"] == {"alsoFoundBy": ["policy.servicedesk.password"]}
    regions = sarif_regions(out)
    assert any(r["startLine"] == 2 for r in regions) and len(regions) == len(results) >= 3


def test_format_follows_the_file_extension(tmp_path):
    html = tmp_path / "p.html"
    html.write_text("<p>fine</p><script>darn()</script>", encoding="utf-8")
    assert run(["check", str(html), "--policy", POLICY])[0] == 0
    assert run(["check", str(html), "--policy", POLICY, "--format", "plain"])[0] == 1


def test_check_reads_no_service_settings(monkeypatch):
    monkeypatch.setenv("POSTGUARD_PORT", "abc")
    monkeypatch.setenv("POSTGUARD_WORKERS", "-1")
    assert run(["check", "--policy", POLICY], stdin="oh darn")[:2] == (1, "<stdin>:1:4 block test.word Avoid 'darn'. [darn] -> 'gosh'\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "missing-file.md"], "postguard: error: No such file or directory: missing-file.md"),
        (["check", "--policy", "nope"], "postguard: error: policy 'nope' is not one of: default"),
        (["check", "--platform", "myspace"], "postguard: error: argument --platform: invalid choice: 'myspace'"),
        (["frobnicate"], "postguard: error: argument COMMAND: invalid choice: 'frobnicate'"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(argv, message):
    code, out, err = run(argv, stdin="x")
    assert code == 2
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_invalid_policy_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("checks: [unclosed\n", encoding="utf-8")
    code, _, err = run(["check", "--policy", str(bad)], stdin="x")
    assert code == 2 and err.startswith(f"postguard: error: {bad}:") and err.count("\n") == 1


def test_non_utf8_input_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9".encode("latin-1"))
    code, _, err = run(["check", str(path), "--policy", POLICY])
    assert code == 2 and "not UTF-8 text" in err

