"""Mastodon account archive: ``outbox.json`` (ActivityStreams ``Create`` -> ``Note``), zipped or not."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from postguard.errors import ReadError
from postguard.scan.readers.archive import Archive
from postguard.scan.readers.jsonstream import iter_array
from postguard.scan.record import PublishedPost

_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def is_mastodon_archive(archive: Archive) -> bool:
    return bool(archive.find("outbox.json"))


def read_mastodon_archive(archive: Archive) -> Iterator[PublishedPost | ReadError]:
    """Every toot the account wrote (boosts of others' posts are not theirs, so skipped)."""
    for name in archive.find("outbox.json"):
        with archive.open_text(name) as stream:
            yield from read_outbox(archive.source(name), stream)


def read_outbox(source: str, stream: TextIO) -> Iterator[PublishedPost | ReadError]:
    """The ``Create`` activities of one ``outbox.json``, streamed."""
    for i, activity in iter_array(stream, source, after='"orderedItems"'):
        if not isinstance(activity, dict) or activity.get("type") != "Create":
            continue
        note = activity.get("object")
        if not isinstance(note, dict) or note.get("type") not in ("Note", "Question", "Article"):
            continue
        try:
            yield _toot(note, source)
        except (KeyError, TypeError, ValueError) as exc:
            yield ReadError(source, f"item {i + 1}", f"not a toot ({type(exc).__name__}: {exc})")


def _toot(note: dict, source: str) -> PublishedPost:
    content = note.get("content") or ""
    warning = note.get("summary")
    # A content warning is published text too; it goes first, as readers see it.
    text = f"<p>{html.escape(warning)}</p>{content}" if warning else content
    published = note.get("published")
    return PublishedPost(
        id=str(note["id"]),
        text=text,
        format="html",
        platform="mastodon",
        source=source,
        date=datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None,
        url=note.get("url") or note["id"],
        status=_visibility(note),
    )


def _visibility(note: dict) -> str:
    to, cc = note.get("to") or [], note.get("cc") or []
    if _PUBLIC in to:
        return "published"
    if _PUBLIC in cc:
        return "unlisted"
    if any(str(a).endswith("/followers") for a in to + cc):
        return "followers"
    return "direct"
