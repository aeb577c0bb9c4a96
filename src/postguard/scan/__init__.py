"""Scanning what is already published: readers for account archives and blog exports, the runner, and
the report writers."""

from __future__ import annotations

from postguard.scan.record import PublishedPost
from postguard.scan.runner import read_posts, scan

__all__ = ["PublishedPost", "read_posts", "scan"]
