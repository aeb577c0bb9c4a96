"""``postguard rules test`` and ``postguard rules list``, registered in ``postguard.cli.SUBCOMMANDS``.

``rules test [PATH ...]`` runs every rule's embedded examples (exit 1 on any failure or invalid
rule file, printing expected ``-`` and actual ``+`` spans), and for a ``--vale`` style whose
folder sits beside ``features/`` and ``fixtures/``, the style's own suite; ``rules list`` shows
ids, kinds, severities and descriptions. PATH is a rule file, a pack directory or a directory of packs
(default: the shipped packs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from postguard.checks.policy.loader import Pack, build_rule, builtin_rules_dir, find_packs, read_yaml, rule_files
from postguard.checks.policy.rule import Rule
from postguard.cli import EXIT_FINDINGS, EXIT_OK, SUBCOMMANDS
from postguard.errors import RuleError

HELP = "test and list policy rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    for name, help_text in (
        ("test", "run every rule's embedded examples (exit 1 on failure)"),
        ("list", "show rule ids, kinds, severities and descriptions"),
    ):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("paths", nargs="*", metavar="PATH", help="rule files, pack directories or directories of packs (default: the shipped packs)")
        p.add_argument("--vale", action="append", default=[], metavar="DIR", help="also load this Vale style directory")
        if name == "test":
            p.add_argument("-v", "--verbose", action="store_true", help="print every example, not only failures")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    paths = [Path(p) for p in args.paths] or ([builtin_rules_dir()] if not args.vale else [])
    loaded, errors = _load(paths, [Path(v) for v in args.vale])
    if args.rules_command == "list":
        return _list(loaded, errors, out)
    code = _test(loaded, errors, out, args.verbose)
    suites = [p for p in loaded if p.path in {Path(v) for v in args.vale} and (p.path.parent / "features").is_dir()]
    return max(code, *(_suite(p, out, args.verbose) for p in suites)) if suites else code


def _load(paths: list[Path], vale: list[Path]) -> tuple[list[Pack], list[str]]:
    """Compile every rule without running its examples; collect invalid files instead of stopping."""
    from postguard.checks.policy.vale import load_vale_style

    packs: list[Pack] = []
    errors: list[str] = []
    for path in find_packs(paths):
        files = [path] if path.is_file() else rule_files(path)
        pack = Pack(path.parent.name if path.is_file() else path.name, path)
        for f in files:
            try:
                pack.rules.append(build_rule(read_yaml(f), str(f), f"{f.parent.name}.{f.stem}"))
            except RuleError as exc:
                errors.append(str(exc))
        packs.append(pack)
    for v in vale:
        try:
            packs.append(load_vale_style(v))
        except RuleError as exc:
            errors.append(str(exc))
    return packs, errors


def _test(packs: list[Pack], errors: list[str], out: TextIO, verbose: bool) -> int:
    from postguard.checks.policy.selftest import run_examples

    for note in (n for p in packs for n in p.skipped):
        out.write(note + "\n")
    for err in errors:
        out.write(f"{err}\n")
    rules = [r for p in packs for r in p.rules]
    n_examples = n_failed = 0
    failed_rules: set[str] = set()
    for rule in rules:
        for result in run_examples(rule):
            n_examples += 1
            kind = "flag" if result.example.flag else "pass"
            if result.ok:
                if verbose:
                    out.write(f"{result.where} ok {rule.id} {kind} {result.example.text!r}\n")
                continue
            n_failed += 1
            failed_rules.add(rule.id)
            out.write(f"{result.where} FAIL {rule.id} {kind} {result.example.text!r}\n")
            for line in result.diff():
                out.write(f"  {line}\n")
    untested = [r.id for r in rules if not r.examples]
    summary = f"{len(rules)} rules, {n_examples} examples"
    if untested:
        summary += f", {len(untested)} rules without examples"
    if n_failed or errors:
        parts = []
        if n_failed:
            parts.append(f"{n_failed} failed examples in {len(failed_rules)} rules")
        if errors:
            parts.append(f"{len(errors)} invalid rule files")
        out.write(f"FAILED: {summary}: {'; '.join(parts)}\n")
        return EXIT_FINDINGS
    out.write(f"ok: {summary}\n")
    return EXIT_OK


def _suite(pack: Pack, out: TextIO, verbose: bool) -> int:
    """Run a Vale style's own suite; ``-`` an expected alert not found, ``+`` an extra one."""
    from postguard.checks.policy.vale_suite import run_suite

    outcomes = run_suite(pack.path.parent, pack)
    failed = 0
    for o in outcomes:
        if not o.ran:
            out.write(f"{o.scenario.where} SKIP {pack.name} {o.scenario.fixture!r}: no fixtures/{o.scenario.fixture}\n")
            continue
        if not o.missing and not o.extra:
            if verbose:
                out.write(f"{o.scenario.where} ok {pack.name} {o.scenario.fixture!r}\n")
            continue
        failed += 1
        out.write(f"{o.scenario.where} FAIL {pack.name} {o.scenario.fixture!r}\n")
        for a in o.missing:
            out.write(f"  - {a}\n")
        for a in o.extra:
            out.write(f"  + {a}\n")
    ran = [o for o in outcomes if o.ran]
    expected = sum(o.expected for o in ran)
    matched = sum(o.matched for o in ran)
    summary = f"{pack.name} suite: {len(ran)} scenarios, {matched}/{expected} alerts found"
    out.write(f"FAILED: {summary}: {failed} failed scenarios\n" if failed else f"ok: {summary}\n")
    return EXIT_FINDINGS if failed else EXIT_OK


def _list(packs: list[Pack], errors: list[str], out: TextIO) -> int:
    rules: list[Rule] = [r for p in packs for r in p.rules]
    width = max((len(r.id) for r in rules), default=2)
    for rule in sorted(rules, key=lambda r: r.id):
        out.write(f"{rule.id:<{width}}  {rule.kind:<12}  {rule.severity.value:<7}  {rule.description}\n".rstrip() + "\n")
    for note in (n for p in packs for n in p.skipped):
        out.write(note + "\n")
    for err in errors:
        out.write(f"{err}\n")
    return EXIT_FINDINGS if errors else EXIT_OK


SUBCOMMANDS["rules"] = (HELP, add_arguments, run)

__all__ = ["HELP", "add_arguments", "run"]
