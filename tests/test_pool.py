"""check_many on several processes: the same reports in the same order, the same errors, models loaded once."""

from __future__ import annotations

import json
import os
import time

import pytest

from postguard import Checker, InputError, TextTooLongError
from postguard.checks.base import BaseCheck, register_check
from postguard.policy import Policy

TEXTS = [
    "Email jane.doe@example.com about her appeal",
    "The VPN is back up, thanks for your patience!",
    "What a shitty day for the network",
    "Call 07700 900123 or visit https://status.example.ac.uk",
    "Reset your password at http://intranet.corp/reset",
    "Your password is hunter2hunter2, don't share it",
    "",
    "Sam Smith from Leeds has failed his exams again, what an idiot",
] * 7


class PidCheck(BaseCheck):
    """Says which process ran it and how many times its class was built there."""

    name = "pid"
    needs_doc = False
    built = 0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PidCheck.built += 1

    def run(self, parsed):
        time.sleep(0.002)  # long enough that both workers get batches
        if parsed.text == "boom":
            raise InputError("the pid check cannot read 'boom'")
        yield parsed.finding(0, 0, rule_id="test.pid", category="policy", severity="info",
                             message=f"{os.getpid()} {PidCheck.built}")


register_check("pid", PidCheck)


@pytest.fixture(scope="module")
def checker():
    return Checker()


def comparable(reports):
    return [r.model_dump(exclude={"timings_ms"}) for r in reports]


def test_two_processes_give_the_same_reports_in_order(checker):
    one = checker.check_many(TEXTS)
    two = checker.check_many(TEXTS, processes=2, platform="x")
    assert comparable(two) == comparable(checker.check_many(TEXTS, platform="x"))
    assert comparable(checker.check_many(TEXTS, processes=2)) == comparable(one)
    assert any(r.findings for r in one) and any(not r.findings for r in one)


def test_workers_share_the_loaded_checks_and_run_in_other_processes():
    checker = Checker(Policy(name="pids", checks={"pid": {}}))
    assert PidCheck.built == 1
    reports = checker.check_many([f"post {i}" for i in range(400)], processes=2)
    pids, builds = zip(*(r.findings[0].message.split() for r in reports))
    assert set(builds) == {"1"}  # no worker built the checks again
    assert len(set(pids)) == 2 and str(os.getpid()) not in pids
    # The workers stay for the next call, and end with close().
    again = {r.findings[0].message.split()[0] for r in checker.check_many([f"post {i}" for i in range(400)], processes=2)}
    assert again <= set(pids)
    checker.close()
    for pid in map(int, set(pids)):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_errors_are_the_same_as_in_one_process(checker):
    bad = ["fine", "also fine", 42]
    for processes in (1, 2):
        with pytest.raises(InputError, match=r"^text #2 must be a string, not int$"):
            checker.check_many(bad, processes=processes)
    long = ["short", "x" * (checker.policy.max_text_length + 1)]
    for processes in (1, 2):
        with pytest.raises(TextTooLongError, match=r"^text #1 is "):
            checker.check_many(long, processes=processes)
    for processes in (0, -1, 1.5):
        with pytest.raises(InputError, match="processes must be a whole number of at least 1"):
            checker.check_many(["a", "b"], processes=processes)


def test_an_error_in_a_worker_is_raised_in_the_caller():
    checker = Checker(Policy(name="pids", checks={"pid": {}}))
    texts = ["fine"] * 120 + ["boom"] + ["fine"] * 10
    with pytest.raises(InputError, match=r"^the pid check cannot read 'boom'$"):
        checker.check_many(texts)
    with pytest.raises(InputError, match=r"^the pid check cannot read 'boom'$"):
        checker.check_many(texts, processes=2)


def test_check_jobs_gives_the_same_json(tmp_path, capsys):
    from postguard.cli import main

    files = []
    for i, text in enumerate(TEXTS[:8]):
        files.append(tmp_path / f"post{i}.md")
        files[-1].write_text(text, encoding="utf-8")

    def check(*extra):
        code = main(["check", *map(str, files), "--output", "json", *extra])
        out = json.loads(capsys.readouterr().out)
        return code, [{k: v for k, v in r.items() if k != "timings_ms"} for r in out]

    assert check("--jobs", "2") == check()
    with pytest.raises(SystemExit) as exc:
        main(["check", str(files[0]), "--jobs", "0"])
    assert exc.value.code == 2 and "must be a whole number of at least 1" in capsys.readouterr().err
