"""The ``postguard`` command: check drafts from files or stdin.

Exit codes: 0 pass; 1 a ``block`` finding (or a ``warn`` with ``--strict``); 2 a usage,
configuration or runtime error, reported on one line without a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from postguard import __version__
from postguard.errors import PostguardError
from postguard.findings import Finding, Severity
from postguard.overlaps import Group
from postguard.platforms import platform_names
from postguard.report import Report

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_FORMAT_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".mdx": "markdown", ".html": "html", ".htm": "html"}
_SARIF_LEVEL = {Severity.INFO: "note", Severity.WARNING: "warning", Severity.BLOCK: "error"}
_COLOUR = {Severity.INFO: "\x1b[36m", Severity.WARNING: "\x1b[33m", Severity.BLOCK: "\x1b[31m"}

#: Subcommands added by other modules: name -> (add_arguments, run). Kept here so ``main``
#: stays the only entry point.
SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for every other error
        self.exit(EXIT_ERROR, f"postguard: error: {message} (see 'postguard --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="postguard", description="Check a draft post before it goes out.")
    parser.add_argument("--version", action="version", version=f"postguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    c = sub.add_parser("check", help="check drafts from files or stdin", description="Check drafts.")
    c.add_argument("files", nargs="*", metavar="FILE", help="files to check; '-' or none reads stdin")
    c.add_argument("--format", choices=["plain", "markdown", "html"], help="default: from the file extension")
    c.add_argument("--platform", default="generic", choices=platform_names())
    c.add_argument("--policy", default=None, help="built-in policy name or a YAML file (default: default)")
    c.add_argument("--output", "-o", default="text", choices=["text", "json", "sarif"])
    c.add_argument("--min-severity", default="info", choices=["info", "warning", "block"])
    c.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    c.add_argument("--color", default="auto", choices=["auto", "always", "never"])
    c.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N", help="worker processes (default: 1)")
    c.set_defaults(run=_run_check)

    for name, (help_text, add_arguments, run) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(p)
        p.set_defaults(run=run)
    return parser


def _jobs(value: str) -> int:
    """``--jobs``: a number of worker processes, at least 1."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    _load_subcommands()
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except PostguardError as exc:
        print(f"postguard: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"postguard: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _load_subcommands() -> None:
    """Import the modules that register ``serve``, ``rules``, ``scan`` and ``stats`` if they are installed."""
    import importlib

    modules = ("postguard.api.cli", "postguard.checks.policy.cli", "postguard.scan.cli", "postguard.decisions.cli")
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise


# --------------------------------------------------------------------------------------------
# check


def _read_inputs(files: list[str], fmt: str | None) -> list[tuple[str, str, str]]:
    inputs = []
    for name in files or ["-"]:
        if name == "-":
            data = sys.stdin.buffer.read()
            display = "<stdin>"
            guess = "plain"
        else:
            path = Path(name)
            if path.is_dir():
                raise PostguardError(f"{name} is a directory; pass files (e.g. {name}/*.md)")
            data = path.read_bytes()
            display = name
            guess = _FORMAT_BY_SUFFIX.get(path.suffix.lower(), "plain")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PostguardError(f"{display}: not UTF-8 text (byte {exc.start})") from None
        inputs.append((display, text, fmt or guess))
    return inputs


def _run_check(args: argparse.Namespace) -> int:
    from postguard.engine import Checker

    inputs = _read_inputs(args.files, args.format)
    checker = Checker(policy=args.policy, platform=args.platform)
    minimum = Severity(args.min_severity)
    results: list[tuple[str, str, Report]] = []
    by_format: dict[str, list[int]] = {}
    for i, (_, _, fmt) in enumerate(inputs):
        by_format.setdefault(fmt, []).append(i)
    reports: list[Report | None] = [None] * len(inputs)
    for fmt, idx in by_format.items():
        for i, rep in zip(idx, checker.check_many([inputs[i][1] for i in idx], format=fmt, processes=args.jobs)):
            reports[i] = rep
    for (display, text, _), rep in zip(inputs, reports):
        assert rep is not None
        shown = tuple(f for f in rep.findings if f.severity >= minimum)
        results.append((display, text, rep.model_copy(update={"findings": shown})))

    out = sys.stdout
    if args.output == "json":
        payload = [{"path": d, **r.model_dump(mode="json")} for d, _, r in results]
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif args.output == "sarif":
        out.write(json.dumps(_sarif(results), ensure_ascii=False, indent=2) + "\n")
    else:
        colour = args.color == "always" or (args.color == "auto" and out.isatty() and "NO_COLOR" not in os.environ)
        for display, text, rep in results:
            by_id = {f.id: f for f in rep.findings}
            for g in rep.groups:
                out.write(_group_line(display, text, g, [by_id[i] for i in g.findings], colour) + "\n")

    verdicts = {r.verdict for _, _, r in results}
    if "block" in verdicts or (args.strict and "warn" in verdicts):
        return EXIT_FINDINGS
    return EXIT_OK


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _group_line(display: str, text: str, g: Group, members: list[Finding], colour: bool) -> str:
    """One line per highlighted span: its place, its severity, then every reason found there."""
    line, col = line_col(text, g.start)
    sev = g.severity.value
    if colour:
        sev = f"{_COLOUR[g.severity]}{sev}\x1b[0m"
    if len(members) == 1:
        return f"{display}:{line}:{col} {sev} {_reason(members[0], colour, excerpt=True)}"
    reasons = "; ".join(
        f"{f.severity.value} {_reason(f, colour, excerpt=(f.start, f.end) != (g.start, g.end))}" for f in members
    )
    words = _excerpt(text[g.start : g.end], colour)
    return f"{display}:{line}:{col} {sev} [{words}] {len(members)} reasons: {reasons}"


def _reason(f: Finding, colour: bool, *, excerpt: bool) -> str:
    """``rule-id message [excerpt] -> 'fix' (also found by ...)``, the excerpt only where asked."""
    words = f" [{_excerpt(f.excerpt, colour)}]" if excerpt else ""
    fix = f" -> {f.suggestion!r}" if f.suggestion is not None else ""
    also = f" (also found by {', '.join(f.also_found_by)})" if f.also_found_by else ""
    return f"{f.rule_id} {f.message}{words}{fix}{also}"


def _excerpt(excerpt: str, colour: bool) -> str:
    excerpt = excerpt.replace("\n", " ")
    if len(excerpt) > 60:
        excerpt = excerpt[:57] + "..."
    return f"\x1b[1;4m{excerpt}\x1b[0m" if colour else excerpt


def _utf16(text: str, start: int, end: int) -> int:
    """How many UTF-16 code units ``text[start:end]`` takes (an emoji takes two)."""
    return len(text[start:end].encode("utf-16-le", "surrogatepass")) // 2


def _sarif_region(text: str, f: Finding) -> dict:
    """A SARIF region in UTF-16 code units, the unit SARIF assumes and most viewers count in."""

    def line_col16(offset: int) -> tuple[int, int]:
        line_start = text.rfind("\n", 0, offset) + 1
        return text.count("\n", 0, offset) + 1, _utf16(text, line_start, offset) + 1

    (sl, sc), (el, ec) = line_col16(f.start), line_col16(f.end)
    return {
        "startLine": sl,
        "startColumn": sc,
        "endLine": el,
        "endColumn": ec,
        "charOffset": _utf16(text, 0, f.start),
        "charLength": _utf16(text, f.start, f.end),
        "snippet": {"text": f.excerpt},
    }


def _sarif(results: list[tuple[str, str, Report]]) -> dict:
    rules: dict[str, dict] = {}
    sarif_results = []
    for display, text, rep in results:
        for f in rep.findings:
            rules.setdefault(
                f.rule_id,
                {"id": f.rule_id, "properties": {"category": f.category}, **({"helpUri": f.link} if f.link else {})},
            )
            region = _sarif_region(text, f)
            fix = {
                "description": {"text": "suggested replacement"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": display},
                        "replacements": [
                            {
                                "deletedRegion": {"charOffset": region["charOffset"], "charLength": region["charLength"]},
                                "insertedContent": {"text": f.suggestion},
                            }
                        ],
                    }
                ],
            }
            sarif_results.append(
                {
                    "ruleId": f.rule_id,
                    "level": _SARIF_LEVEL[f.severity],
                    "message": {"text": f.message},
                    **({"properties": {"alsoFoundBy": list(f.also_found_by)}} if f.also_found_by else {}),
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": display}, "region": region}}],
                    **({"fixes": [fix]} if f.suggestion is not None else {}),
                }
            )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "postguard", "version": __version__, "rules": list(rules.values())}},
                # Said outright: a consumer that reads code points would otherwise miss by one a column
                # after each emoji.
                "columnKind": "utf16CodeUnits",
                "results": sarif_results,
            }
        ],
    }


if __name__ == "__main__":  # pragma: no cover
    # Run the imported module's main, whose SUBCOMMANDS the serve and rules modules fill in.
    from postguard import cli as _cli

    sys.exit(_cli.main())
