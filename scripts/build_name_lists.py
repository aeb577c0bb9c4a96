#!/usr/bin/env python
"""Build the pii check's given-name and surname lists from public-domain and MIT-licensed sources.

    pip install -e '.[train]'      # names, faker, mimesis (build time only, never at run time)
    python scripts/build_name_lists.py --out src/postguard/data/

Given names: the 1990 US Census male and female first-name lists (public domain, as shipped by the
``names`` package, MIT), and the first names of every locale of ``faker`` (MIT) and ``mimesis``
(MIT). Surnames: the 1990 US Census surname list (``names``) and the surnames of every locale of
``faker`` and ``mimesis``. Every entry is kept in the form the check looks words up in
(``str.title()``); entries of more than one word, of one letter, or that are not written in a cased
script are left out. Writes ``given_names.txt.gz`` and ``surnames.txt.gz`` (sorted, one a line,
gzip without a timestamp, so the same sources give the same bytes) and prints the counts.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import pkgutil
import sys
from importlib import metadata, resources
from pathlib import Path


def census() -> tuple[set[str], set[str]]:
    """The 1990 US Census lists shipped by ``names`` (``NAME  freq  cumfreq  rank`` lines)."""

    def read(file: str) -> set[str]:
        with (resources.files("names") / file).open(encoding="utf-8") as fh:
            return {line.split(" ", 1)[0] for line in fh if line.strip()}

    return read("dist.male.first") | read("dist.female.first"), read("dist.all.last")


def faker_names() -> tuple[set[str], set[str]]:
    """Every locale's person provider in ``faker`` (attributes are tuples, or dicts of weights)."""
    from faker.providers import person

    first: set[str] = set()
    last: set[str] = set()
    for info in sorted(pkgutil.iter_modules(person.__path__), key=lambda m: m.name):
        provider = importlib.import_module(f"{person.__name__}.{info.name}").Provider
        for attr, out in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("first_names_nonbinary", first),
            ("last_names", last),
            ("last_names_male", last),
            ("last_names_female", last),
            ("last_names_nonbinary", last),
        ):
            value = provider.__dict__.get(attr)
            if isinstance(value, (tuple, list, dict)):
                out.update(value)
    return first, last


def mimesis_names() -> tuple[set[str], set[str]]:
    """Every locale's ``person.json`` in ``mimesis`` (``names`` by gender, ``surnames`` a list or
    by gender)."""
    first: set[str] = set()
    last: set[str] = set()
    root = resources.files("mimesis") / "datasets"
    for locale in sorted(p.name for p in root.iterdir()):
        path = root / locale / "person.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, out in (("names", first), ("surnames", last)):
            value = data.get(key, [])
            for part in value.values() if isinstance(value, dict) else [value]:
                out.update(part)
    return first, last


def clean(names: set[str]) -> list[str]:
    """One-word entries of two or more letters in a cased script, in ``str.title()`` form."""
    out = set()
    for name in names:
        name = name.strip()
        if " " in name or len(name) < 2 or name[:1].upper() == name[:1].lower():
            continue
        if not all(c.isalpha() or c in "-'’" for c in name):
            continue
        out.add(name.title())
    return sorted(out)


def write(path: Path, names: list[str]) -> None:
    data = "".join(n + "\n" for n in names).encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("src/postguard/data"))
    args = ap.parse_args(argv)
    sources = {"names (1990 US Census)": census(), "faker": faker_names(), "mimesis": mimesis_names()}
    first: set[str] = set()
    last: set[str] = set()
    for label, (f, s) in sources.items():
        dist = label.split(" ")[0]
        print(f"{label} {metadata.version(dist)}: {len(f)} given names, {len(s)} surnames", file=sys.stderr)
        first |= f
        last |= s
    args.out.mkdir(parents=True, exist_ok=True)
    for file, names in (("given_names.txt.gz", clean(first)), ("surnames.txt.gz", clean(last))):
        write(args.out / file, names)
        print(f"{file}: {len(names)} names, {(args.out / file).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
