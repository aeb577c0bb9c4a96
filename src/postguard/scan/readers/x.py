"""X / Twitter account archive: ``data/tweets.js`` (``window.YTD.tweets.part0 = [...]``), zipped or not."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from postguard.errors import ReadError
from postguard.scan.readers.archive import Archive
from postguard.scan.readers.jsonstream import iter_array
from postguard.scan.record import PublishedPost

# Older archives call it tweet.js; large ones continue in tweets-part1.js, tweets-part2.js ...
TWEET_FILES = ("data/tweets.js", "data/tweet.js")


def is_x_archive(archive: Archive) -> bool:
    return bool(_tweet_files(archive))


def read_x_archive(archive: Archive) -> Iterator[PublishedPost | ReadError]:
    """Every tweet in the archive, in the archive's order."""
    user = _username(archive)
    for name in _tweet_files(archive):
        source = archive.source(name)
        with archive.open_text(name) as stream:
            for i, item in iter_array(stream, source):
                try:
                    yield tweet_post(item, source, user)
                except (KeyError, TypeError, ValueError) as exc:
                    yield ReadError(source, f"item {i + 1}", f"not a tweet ({type(exc).__name__}: {exc})")


def read_tweets_js(path: str, stream: Any) -> Iterator[PublishedPost | ReadError]:
    """A lone ``tweets.js`` file."""
    for i, item in iter_array(stream, path):
        try:
            yield tweet_post(item, path, None)
        except (KeyError, TypeError, ValueError) as exc:
            yield ReadError(path, f"item {i + 1}", f"not a tweet ({type(exc).__name__}: {exc})")


def tweet_post(item: dict, source: str, user: str | None) -> PublishedPost:
    """One archive entry (``{"tweet": {...}}``) as a post, its t.co links expanded."""
    tweet = item.get("tweet", item)
    tweet_id = str(tweet["id_str"])
    # The archive escapes &, < and > as HTML entities; the author wrote (and readers saw) the characters.
    text = html.unescape(tweet["full_text"])
    for url in (tweet.get("entities") or {}).get("urls") or ():
        if url.get("url") and url.get("expanded_url"):
            text = text.replace(url["url"], url["expanded_url"])
    created = tweet.get("created_at")
    date = datetime.strptime(created, "%a %b %d %H:%M:%S %z %Y") if created else None
    return PublishedPost(
        id=tweet_id,
        text=text,
        format="plain",
        platform="x",
        source=source,
        date=date,
        url=f"https://x.com/{user or 'i/web'}/status/{tweet_id}",
    )


def _tweet_files(archive: Archive) -> list[str]:
    names = archive.names()
    found = archive.find(*TWEET_FILES)
    found += sorted(n for n in names if "/data/tweets-part" in "/" + n and n.endswith(".js"))
    return found


def _username(archive: Archive) -> str | None:
    names = archive.find("data/account.js")
    if not names:
        return None
    try:
        with archive.open_text(names[0]) as stream:
            for _, item in iter_array(stream, archive.source(names[0])):
                return item["account"]["username"]
    except (ReadError, KeyError, TypeError):
        return None
    return None
