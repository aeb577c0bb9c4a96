"""One fresh interpreter for everything that only a new process can show: what importing and
checking load, that they open no connection, and what runs without the ``[server]`` extra.

One subprocess instead of one per question: each costs an interpreter start and a model load.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Packages the library and ``postguard check`` must never need: the service's (the ``[server]``
# extra), the test and training extras' (better-profanity, the name-list builders), the decision
# log's, and spaCy's CLI.
SERVER = ("fastapi", "fastapi_offline", "uvicorn", "pydantic_settings", "prometheus_client", "starlette")
NEVER_LOADED = (*SERVER, "better_profanity", "gender_guesser", "names", "faker", "mimesis", "typer",
                "sqlalchemy", "alembic")  # the decision log's (the [decisions] extra): only stats and serve

_SCRIPT = r"""
import io, json, os, runpy, socket, sys, tempfile

def refuse(*args, **kwargs):
    sys.stderr.write("network access attempted: %r\n" % (args[1:] or args,))
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
for name in SERVER:  # as if the [server] extra were not installed
    sys.modules[name] = None
out = {}

def run_cli(module, argv, stdin=""):
    # `python -m <module> ...`, in this process: its exit code, stdout and stderr.
    old = sys.argv, sys.stdin, sys.stdout, sys.stderr
    sys.argv = [module, *argv]
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        try:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            code = exc.code
        return [code, sys.stdout.getvalue(), sys.stderr.getvalue()]
    finally:
        sys.argv, sys.stdin, sys.stdout, sys.stderr = old

import postguard

checker = postguard.Checker()
from postguard.ner_gate import load_gate
out["gate loaded by the Checker"] = load_gate.cache_info().currsize == 1  # not by the first post
texts = [
    "Email jane.doe@example.ac.uk or visit https://status.example.ac.uk/incidents",
    "Reset at http://intranet.corp/reset?token=abc from 10.0.0.5, call 07700 900123",
    "Ring Sarah Connor on 07911 123456 or mail sarah.connor@gmail.com; card 4111 1111 1111 1111",
]
out["verdicts"] = [r.verdict for r in checker.check_many(texts, platform="x")]
checker.check("# Post\n\nSee [docs](https://docs.example.com/a) &amp; more", format="markdown")
postguard.check("<p>Mail <a href='mailto:a@b.org'>a@b.org</a></p>", format="html")

# A bad service setting is no business of `check`; `serve` says which extra it needs.
os.environ["POSTGUARD_PORT"] = "abc"
out["check"] = run_cli("postguard", ["check", "--platform", "x"], stdin="A short, friendly update.")
out["serve"] = run_cli("postguard", ["serve"])
out["rules"] = [run_cli(m, ["rules", "list"])[:2] for m in ("postguard", "postguard.cli")]
out["loaded"] = sorted(m for m in sys.modules if sys.modules[m] is not None and m.split(".")[0] in NEVER_LOADED)
out["spacy.cli"] = "spacy.cli" in sys.modules

# spaCy's own CLI still imports and works after postguard kept it out.
import spacy
assert spacy.info()["spacy_version"] == spacy.__version__
import spacy.cli
out["spacy.cli.download"] = callable(spacy.cli.download)
print(json.dumps(out))
"""


def test_a_fresh_process_checks_offline_without_the_server_extra_or_build_only_packages():
    code = f"SERVER = {SERVER!r}\nNEVER_LOADED = {NEVER_LOADED!r}\n" + _SCRIPT
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "network access attempted" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])

    assert out["verdicts"] == ["warn", "block", "block"]
    assert out["gate loaded by the Checker"] is True
    assert out["loaded"] == [] and out["spacy.cli"] is False
    assert out["spacy.cli.download"] is True

    assert out["check"] == [0, "", ""]
    code, stdout, stderr = out["serve"]
    assert code == 2 and stdout == ""
    assert stderr.startswith("postguard: error: 'postguard serve' needs the service's packages (fastapi, ")
    assert stderr.rstrip().endswith("pip install 'postguard[server]'") and stderr.count("\n") == 1
    for code, stdout in out["rules"]:
        assert code == 0 and "servicedesk." in stdout
