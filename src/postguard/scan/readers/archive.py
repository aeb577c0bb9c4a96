"""Archive: a folder or a .zip export, read member by member without unpacking it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TextIO

from postguard.errors import ReadError


class Archive:
    """The files of an export, whether it is still zipped or already unpacked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ReadError(str(path), "", f"not a readable .zip ({exc})") from None

    def names(self) -> list[str]:
        """Every file in it, as ``/``-separated paths relative to its top."""
        if self._zip is not None:
            return [n for n in self._zip.namelist() if not n.endswith("/")]
        return sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file())

    def find(self, *suffixes: str) -> list[str]:
        """Members whose path ends with one of ``suffixes`` (an export may sit in a top folder)."""
        return sorted(n for n in self.names() if any(n == s or n.endswith("/" + s) for s in suffixes))

    def open_text(self, name: str) -> TextIO:
        """One member as UTF-8 text (a leading BOM dropped)."""
        if self._zip is not None:
            try:
                raw = self._zip.open(name)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ReadError(self.source(name), "", f"cannot be read from the .zip ({exc})") from None
            return io.TextIOWrapper(raw, encoding="utf-8-sig")
        return open(self.path / name, encoding="utf-8-sig")

    def source(self, name: str) -> str:
        """How errors and reports name a member."""
        return f"{self.path}!{name}" if self._zip is not None else str(self.path / name)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
