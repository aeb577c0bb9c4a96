"""Readers for real exports, picked by what a file holds (its name only breaks a tie).

Each yields ``PublishedPost`` items in the export's order, and a ``ReadError`` for a record or a
file it cannot read, so a scan reports it and goes on with the rest.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from postguard.errors import ReadError
from postguard.scan.readers import bluesky, feed, markdown, mastodon, table, wordpress, x
from postguard.scan.readers.archive import Archive
from postguard.scan.record import PublishedPost

#: What ``detect`` can name, for messages.
KINDS = (
    "x-archive", "x-tweets-js", "mastodon-archive", "mastodon-outbox", "bluesky-car", "bluesky-jsonl",
    "wordpress", "feed", "markdown", "csv", "jsonl",
)
_HEAD = 4096


def read(
    path: str | os.PathLike, *, text_column: str = "text", platform: str = "generic"
) -> Iterator[PublishedPost | ReadError]:
    """Every post in ``path`` (a file, a .zip or a folder), then any error that stopped the read."""
    path = Path(path)
    count = 0
    try:
        for item in _read(path, text_column, platform):
            if isinstance(item, PublishedPost):
                count += 1
            yield item
    except ReadError as exc:
        yield exc
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, UnicodeDecodeError) as exc:
        # A truncated zip or a file that stops mid-read: keep what was read, say where it stopped.
        yield ReadError(str(path), f"after post {count}", f"{type(exc).__name__}: {exc}")


def detect(path: Path) -> str:
    """Which kind of export ``path`` is, by its contents."""
    if path.is_dir():
        archive = Archive(path)
        if x.is_x_archive(archive):
            return "x-archive"
        if mastodon.is_mastodon_archive(archive):
            return "mastodon-archive"
        if markdown.markdown_files(path):
            return "markdown"
        raise ReadError(str(path), "", f"no known export in this folder (looked for: {', '.join(KINDS)})")
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    if head.startswith(b"PK\x03\x04"):
        archive = Archive(path)
        try:
            if x.is_x_archive(archive):
                return "x-archive"
            if mastodon.is_mastodon_archive(archive):
                return "mastodon-archive"
        finally:
            archive.close()
        raise ReadError(str(path), "", "a .zip holding neither data/tweets.js (X) nor outbox.json (Mastodon)")
    if bluesky.looks_like_car(head):
        return "bluesky-car"
    text = head.decode("utf-8-sig", errors="ignore").lstrip()
    if text.startswith("window.YTD."):
        return "x-tweets-js"
    if text.startswith("<"):
        if "wordpress.org/export/" in text:
            return "wordpress"
        if any(tag in text for tag in ("<rss", "<feed", "<rdf:RDF")):
            return "feed"
        raise ReadError(str(path), "", "XML that is neither a WordPress export (WXR) nor an RSS/Atom feed")
    if text.startswith("{"):
        if '"orderedItems"' in text or '"OrderedCollection"' in text:
            return "mastodon-outbox"
        first = text.splitlines()[0] if text else ""
        return "bluesky-jsonl" if bluesky.is_post_jsonl(first) else "jsonl"
    if path.suffix.lower() in markdown.SUFFIXES or text.startswith(("---", "+++")):
        return "markdown"
    if path.suffix.lower() in (".csv", ".tsv") or "," in text.partition("\n")[0]:
        return "csv"
    raise ReadError(str(path), "", f"not a known export (one of: {', '.join(KINDS)})")


def _read(path: Path, text_column: str, platform: str) -> Iterator[PublishedPost | ReadError]:
    kind = detect(path)
    source = str(path)
    if kind in ("x-archive", "mastodon-archive"):
        archive = Archive(path)
        try:
            yield from (x.read_x_archive if kind == "x-archive" else mastodon.read_mastodon_archive)(archive)
        finally:
            archive.close()
    elif kind == "markdown":
        if path.is_dir():
            for file in markdown.markdown_files(path):
                yield from markdown.read_markdown(file, path)
        else:
            yield from markdown.read_markdown(path)
    elif kind == "bluesky-car":
        yield from bluesky.read_car(path)
    elif kind in ("wordpress", "feed"):
        with open(path, "rb") as stream:
            yield from (wordpress.read_wxr if kind == "wordpress" else feed.read_feed)(source, stream)
    else:
        with open(path, encoding="utf-8-sig", newline="" if kind == "csv" else None) as stream:
            if kind == "x-tweets-js":
                yield from x.read_tweets_js(source, stream)
            elif kind == "mastodon-outbox":
                yield from mastodon.read_outbox(source, stream)
            elif kind == "bluesky-jsonl":
                yield from bluesky.read_jsonl(source, stream)
            elif kind == "jsonl":
                yield from table.read_jsonl(source, stream, text_column, platform)
            else:
                yield from table.read_csv(source, stream, text_column, platform)


__all__ = ["KINDS", "PublishedPost", "ReadError", "detect", "read"]
