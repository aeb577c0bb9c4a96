"""WordPress export (WXR): posts and pages with their HTML, drafts and private posts included and marked."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import BinaryIO
from xml.etree import ElementTree

from postguard.errors import ReadError
from postguard.scan.record import PublishedPost

_KEPT_TYPES = ("post", "page")
_STATUS = {"publish": "published", "future": "scheduled", "inherit": "published"}


def read_wxr(source: str, stream: BinaryIO) -> Iterator[PublishedPost | ReadError]:
    """Each post and page, streamed (every ``<item>`` is dropped once read)."""
    channel = None
    try:
        for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
            if event == "start":
                if _local(elem.tag) == "channel":
                    channel = elem
                continue
            if _local(elem.tag) != "item":
                continue
            fields = {_field(child.tag): (child.text or "") for child in elem}
            if channel is not None:
                channel.remove(elem)  # memory stays flat however many posts the site has
            if fields.get("wp:post_type", "post") not in _KEPT_TYPES:
                continue
            yield _post(fields, source)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        yield ReadError(source, f"line {line}, column {column}", str(exc).split(":")[0])


def _post(fields: dict[str, str], source: str) -> PublishedPost:
    title = fields.get("title", "").strip()
    body = fields.get("content:encoded", "")
    status = fields.get("wp:status", "publish")
    return PublishedPost(
        id=fields.get("wp:post_id") or fields.get("guid") or fields.get("link", ""),
        # The title is published too: it is checked as the page's heading.
        text=(f"<h1>{html.escape(title)}</h1>\n" if title else "") + body,
        format="html",
        platform="wordpress",
        source=source,
        date=_date(fields),
        url=fields.get("link") or None,
        status=_STATUS.get(status, status),
        title=title or None,
    )


def _date(fields: dict[str, str]) -> datetime | None:
    gmt = fields.get("wp:post_date_gmt", "")
    if gmt and not gmt.startswith("0000"):
        return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    local = fields.get("wp:post_date", "")
    if local and not local.startswith("0000"):
        return datetime.strptime(local, "%Y-%m-%d %H:%M:%S")
    pub = fields.get("pubDate", "")
    try:
        return parsedate_to_datetime(pub) if pub else None
    except (TypeError, ValueError):
        return None


_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}


def _field(tag: str) -> str:
    """``{namespace}name`` as ``prefix:name`` (any WXR version's namespace is ``wp``)."""
    if not tag.startswith("{"):
        return tag
    ns, name = tag[1:].split("}", 1)
    if ns.startswith("http://wordpress.org/export/"):
        return f"wp:{name}"
    prefix = _PREFIXES.get(ns)
    return f"{prefix}:{name}" if prefix else name


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
