"""A folder of Markdown files (a static site's posts): front matter skipped, its title and date kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import yaml

from postguard.errors import ReadError
from postguard.scan.record import PublishedPost

SUFFIXES = (".md", ".markdown", ".mdx")
# YAML (---) or TOML (+++) front matter at the very top of the file.
_FRONT = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n(.*?)^(?:---|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def markdown_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


def read_markdown(path: Path, root: Path | None = None) -> Iterator[PublishedPost | ReadError]:
    """One Markdown file as a post; its id is its path relative to the folder scanned."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        yield ReadError(source, f"byte {exc.start}", "not UTF-8 text")
        return
    meta: dict = {}
    offset = 0
    m = _FRONT.match(text)
    if m:
        offset = m.end()
        try:
            loaded = yaml.safe_load(m.group(1)) if text.startswith("---") else None
            meta = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError:
            meta = {}  # front matter that is not YAML still is not published text
    yield PublishedPost(
        id=path.relative_to(root).as_posix() if root else path.name,
        text=text[offset:],
        format="markdown",
        platform="generic",
        source=source,
        date=_date(meta.get("date")),
        url=str(meta["url"]) if meta.get("url") else None,
        status="draft" if meta.get("draft") is True else "published",
        title=str(meta["title"]) if meta.get("title") else None,
        offset=offset,
    )


def _date(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None
