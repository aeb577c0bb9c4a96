"""CSV or JSONL with one post a row: the text in ``--text-column``; id, date and url columns when present."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import TextIO

from postguard.errors import ReadError
from postguard.scan.record import PublishedPost

ID_COLUMNS = ("id", "id_str", "guid", "uri")
DATE_COLUMNS = ("date", "created_at", "createdAt", "published", "timestamp")
URL_COLUMNS = ("url", "link", "permalink")


def read_csv(source: str, stream: TextIO, text_column: str, platform: str) -> Iterator[PublishedPost | ReadError]:
    """One post per row; rows numbered from 1 after the header."""
    reader = csv.DictReader(stream)
    columns = reader.fieldnames or []
    if text_column not in columns:
        yield ReadError(source, "header", f"no column {text_column!r} (columns: {', '.join(columns)}); use --text-column")
        return
    try:
        for n, row in enumerate(reader, 1):
            yield _row(row, source, f"row {n}", text_column, platform)
    except csv.Error as exc:
        yield ReadError(source, f"line {reader.line_num}", str(exc))


def read_jsonl(source: str, stream: TextIO, text_column: str, platform: str) -> Iterator[PublishedPost | ReadError]:
    """One post per line; a bad line is reported and skipped."""
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(source, f"line {n}, column {exc.colno}", exc.msg)
            continue
        if not isinstance(row, dict) or not isinstance(row.get(text_column), str):
            yield ReadError(source, f"line {n}", f"no string field {text_column!r}; use --text-column")
            continue
        yield _row(row, source, f"line {n}", text_column, platform)


def _row(row: Mapping, source: str, place: str, text_column: str, platform: str) -> PublishedPost:
    post_id = next((str(row[c]) for c in ID_COLUMNS if row.get(c) not in (None, "")), f"{source}:{place}")
    return PublishedPost(
        id=post_id,
        text=row[text_column] or "",
        format="plain",
        platform=platform,
        source=source,
        date=_date(next((row[c] for c in DATE_COLUMNS if row.get(c)), None)),
        url=next((str(row[c]) for c in URL_COLUMNS if row.get(c)), None),
    )


def _date(value: object) -> datetime | None:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, timezone.utc)
    if not isinstance(value, str):
        return None
    value = value.strip()
    for parse in (
        lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")),
        lambda v: datetime.strptime(v, "%a %b %d %H:%M:%S %z %Y"),  # X's created_at
    ):
        try:
            return parse(value)
        except ValueError:
            pass
    return None
