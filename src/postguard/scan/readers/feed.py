"""An RSS 2.0 or Atom feed file: each item or entry as an HTML post."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import BinaryIO
from xml.etree import ElementTree

from postguard.errors import ReadError
from postguard.scan.record import PublishedPost

_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def read_feed(source: str, stream: BinaryIO) -> Iterator[PublishedPost | ReadError]:
    """Each ``<item>`` (RSS) or ``<entry>`` (Atom), streamed."""
    parents: list[ElementTree.Element] = []
    try:
        for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
            if event == "start":
                parents.append(elem)
                continue
            parents.pop()
            name = elem.tag.rsplit("}", 1)[-1]
            if name not in ("item", "entry"):
                continue
            post = _rss_item(elem, source) if name == "item" else _atom_entry(elem, source)
            if parents:
                parents[-1].remove(elem)  # memory stays flat however long the feed is
            yield post
    except ElementTree.ParseError as exc:
        line, column = exc.position
        yield ReadError(source, f"line {line}, column {column}", str(exc).split(":")[0])


def _rss_item(item: ElementTree.Element, source: str) -> PublishedPost:
    body = item.findtext(_CONTENT) or item.findtext("description") or ""
    title = (item.findtext("title") or "").strip()
    link = (item.findtext("link") or "").strip() or None
    pub = item.findtext("pubDate")
    try:
        date = parsedate_to_datetime(pub) if pub else None
    except (TypeError, ValueError):
        date = None
    return _post(item.findtext("guid") or link or title, title, body, link, date, source)


def _atom_entry(entry: ElementTree.Element, source: str) -> PublishedPost:
    ns = entry.tag[: entry.tag.index("}") + 1] if entry.tag.startswith("{") else ""
    body = entry.findtext(f"{ns}content") or entry.findtext(f"{ns}summary") or ""
    title = (entry.findtext(f"{ns}title") or "").strip()
    link = None
    for el in entry.findall(f"{ns}link"):
        if el.get("rel", "alternate") == "alternate":
            link = el.get("href")
            break
    stamp = entry.findtext(f"{ns}published") or entry.findtext(f"{ns}updated")
    try:
        date = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00")) if stamp else None
    except ValueError:
        date = None
    return _post(entry.findtext(f"{ns}id") or link or title, title, body, link, date, source)


def _post(id: str, title: str, body: str, link: str | None, date: datetime | None, source: str) -> PublishedPost:
    return PublishedPost(
        id=id.strip(),
        text=(f"<h1>{html.escape(title)}</h1>\n" if title else "") + body,
        format="html",
        platform="generic",
        source=source,
        date=date,
        url=link,
        title=title or None,
    )
