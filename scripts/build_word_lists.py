#!/usr/bin/env python
"""Build the pii check's common-word lists (words that are not only names).

    python scripts/build_word_lists.py --out src/postguard/data/

- ``plain_words.txt.gz``: Webster's Second International entries written in lower case, from the
  english-words package (MIT; the word list itself is public domain). "mark" and "grace" are
  there; "Todd" is capitalised, so it is not.
- ``lemma_words.txt.gz``: the English lemma index spaCy's lemmatizer ships (WordNet, WordNet
  licence), minus the shipped given names and surnames and minus the plain words above.

Reading these files takes a few hundredths of a second, where unpickling the word list and walking
the lemma tables took about 0.2 s of every start. Sorted, one a line, gzip without a timestamp, so
the same sources give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import sys
from importlib import metadata, resources
from pathlib import Path


def read_list(path: Path) -> frozenset[str]:
    return frozenset(gzip.decompress(path.read_bytes()).decode("utf-8").splitlines())


def plain_words() -> set[str]:
    with (resources.files("english_words") / "data" / "web2.pickle").open("rb") as fh:
        web2 = pickle.load(fh)
    return {w for w in web2 if w.islower()}


def lemma_words(first: frozenset[str], last: frozenset[str]) -> set[str]:
    from postguard.nlp import load_nlp

    index = load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return {
        w
        for values in index.values()
        for w in values
        if "_" not in w and w.title() not in first and w.title() not in last
    }


def write(path: Path, words: set[str]) -> None:
    path.write_bytes(gzip.compress(("\n".join(sorted(words)) + "\n").encode("utf-8"), mtime=0))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("src/postguard/data"))
    args = ap.parse_args(argv)
    first = read_list(args.out / "given_names.txt.gz")
    last = read_list(args.out / "surnames.txt.gz")
    plain = plain_words()
    lemmas = lemma_words(first, last) - plain
    write(args.out / "plain_words.txt.gz", plain)
    write(args.out / "lemma_words.txt.gz", lemmas)
    print(
        f"{len(plain)} plain words (english-words {metadata.version('english-words')}), "
        f"{len(lemmas)} more from the lemma index"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
