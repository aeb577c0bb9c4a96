"""Bluesky: a repository export (``.car``, the account's records in a Merkle search tree) or a JSONL of
``app.bsky.feed.post`` records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from postguard.errors import ReadError
from postguard.scan.record import PublishedPost

POST_TYPE = "app.bsky.feed.post"
_PREFIX = POST_TYPE.encode() + b"/"


def looks_like_car(head: bytes) -> bool:
    """A CARv1 header: a varint length, then a DAG-CBOR map holding ``roots`` and ``version``."""
    return len(head) > 2 and head[0] < 0x80 and head[1] in (0xA1, 0xA2) and b"roots" in head[: head[0] + 1]


def read_car(path: Path) -> Iterator[PublishedPost | ReadError]:
    """Every post in a repository export, in record-key (so creation) order."""
    source = str(path)
    try:
        import libipld
    except ImportError:
        yield ReadError(source, "", "reading a Bluesky .car needs libipld: pip install 'postguard[scan]'")
        return
    try:
        header, blocks = libipld.decode_car(path.read_bytes())
        commit = blocks[header["roots"][0]]
        did, root = commit["did"], commit["data"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        yield ReadError(source, "header", f"not a readable repository export ({type(exc).__name__}: {exc})")
        return
    for key, cid in _walk(blocks, root, source):
        if not key.startswith(_PREFIX):
            continue
        rkey = key[len(_PREFIX) :].decode()
        record = blocks.get(cid)
        if record is None:
            yield ReadError(source, f"record {key.decode()}", "its block is missing (a partial export?)")
            continue
        try:
            yield _post(record, f"at://{did}/{POST_TYPE}/{rkey}", source)
        except (KeyError, TypeError, ValueError) as exc:
            yield ReadError(source, f"record {key.decode()}", f"not a post ({type(exc).__name__}: {exc})")


def _walk(blocks: dict[bytes, Any], cid: bytes, source: str) -> Iterator[tuple[bytes, bytes]]:
    """``(key, record CID)`` in key order: a node's left subtree, then each entry and its right subtree."""
    node = blocks.get(cid)
    if node is None:
        raise ReadError(source, "tree", "a node of the record tree is missing (truncated?)")
    if node.get("l"):
        yield from _walk(blocks, node["l"], source)
    key = b""
    for entry in node.get("e") or ():
        key = key[: entry["p"]] + entry["k"]  # keys share a prefix with the one before
        yield key, entry["v"]
        if entry.get("t"):
            yield from _walk(blocks, entry["t"], source)


def read_jsonl(source: str, stream: TextIO) -> Iterator[PublishedPost | ReadError]:
    """Posts from a JSONL of records, bare or as ``{"uri", "value"}`` (``listRecords``)."""
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            record = row.get("value", row)
            if record.get("$type") != POST_TYPE:
                continue
            yield _post(record, row.get("uri") or f"{source}:{n}", source)
        except json.JSONDecodeError as exc:
            yield ReadError(source, f"line {n}, column {exc.colno}", exc.msg)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            yield ReadError(source, f"line {n}", f"not a post record ({type(exc).__name__}: {exc})")


def is_post_jsonl(first_line: str) -> bool:
    try:
        row = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(row, dict) and (row.get("value", row) or {}).get("$type", "").startswith("app.bsky.")


def _post(record: dict, uri: str, source: str) -> PublishedPost:
    created = record.get("createdAt")
    did, _, rkey = uri.removeprefix("at://").partition(f"/{POST_TYPE}/")
    return PublishedPost(
        id=uri,
        text=str(record["text"]),
        format="plain",
        platform="bluesky",
        source=source,
        date=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
        url=f"https://bsky.app/profile/{did}/post/{rkey}" if uri.startswith("at://") and rkey else None,
    )
