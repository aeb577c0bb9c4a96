"""scan: every post in some exports through one checker, in batches, locally, on every core or on a Dask
cluster, yielding ``(post, report)`` in the exports' order.

    paths -> readers (streamed) -> date filter -> batches -> a task on each batch: Checker.run_posts
    (here, a CheckPool or Dask workers) -> (PublishedPost, Report), in order

``postguard scan`` runs a task that also writes each flagged post's journal line where it was
checked (``journal.flag``), so only compact rows come back to the process that reads and records.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from postguard.errors import InputError, ReadError
from postguard.scan.record import PublishedPost

if TYPE_CHECKING:
    from postguard.engine import Checker
    from postguard.policy import Policy
    from postguard.pool import Task
    from postguard.report import Report

#: Posts per batch: one ``nlp.pipe`` call and one trip to a worker (the check_many batch size).
BATCH = 50


def scan(
    paths: "str | os.PathLike | Iterable[str | os.PathLike]",
    *,
    policy: "str | Path | Policy | None" = None,
    checker: "Checker | None" = None,
    since: datetime | None = None,
    until: datetime | None = None,
    jobs: int = 1,
    dask: str | None = None,
    text_column: str = "text",
    platform: str = "generic",
    skip: int = 0,
    batch_size: int = BATCH,
    on_error: Callable[[ReadError], None] | None = None,
) -> Iterator[tuple[PublishedPost, "Report"]]:
    """``(post, report)`` for every post in ``paths`` (files, .zip archives or folders), in order.

    ``jobs`` worker processes, or the Dask scheduler at ``dask``; ``skip`` posts already checked (to
    resume); a file or record that cannot be read goes to ``on_error`` (logged by default) and the
    scan goes on.
    """
    batches = scan_batches(paths, policy=policy, checker=checker, since=since, until=until, jobs=jobs,
                           dask=dask, text_column=text_column, platform=platform, skip=skip,
                           batch_size=batch_size, on_error=on_error)
    try:
        for posts, reports in batches:
            yield from zip(posts, reports)
    finally:
        batches.close()


def check_published(checker: "Checker", policy: "Policy", posts: list[PublishedPost]) -> list["Report"]:
    """The task ``scan`` runs on each batch: a Report for each post."""
    return checker.run_posts([p.to_post() for p in posts], policy)


def scan_batches(
    paths: "str | os.PathLike | Iterable[str | os.PathLike]",
    *,
    policy: "str | Path | Policy | None" = None,
    checker: "Checker | None" = None,
    since: datetime | None = None,
    until: datetime | None = None,
    jobs: int = 1,
    dask: str | None = None,
    text_column: str = "text",
    platform: str = "generic",
    skip: int = 0,
    batch_size: int = BATCH,
    on_error: Callable[[ReadError], None] | None = None,
    task: "Task" = check_published,
) -> Iterator[tuple[list[PublishedPost], list]]:
    """Each batch of posts, as ``scan`` reads them, with what ``task(checker, policy, batch)`` returned
    for it (on a worker: it pickles by name), batch by batch in order."""
    from postguard.engine import Checker

    if checker is None:
        checker = Checker(policy)
    pol = checker._resolve_policy(policy)
    posts = read_posts(paths, since=since, until=until, text_column=text_column, platform=platform,
                       on_error=on_error or _log_error, max_length=pol.max_text_length)
    for _ in range(skip):
        if next(posts, None) is None:
            return
    from postguard.pool import batched

    batches = batched(posts, batch_size)
    runner = _runner(checker, pol, jobs, dask)
    pending: deque[list[PublishedPost]] = deque()

    def sent() -> Iterator[list]:
        for batch in batches:
            pending.append(batch)
            yield batch

    try:
        for results in runner.map(sent(), task):
            yield pending.popleft(), results
    finally:
        runner.close()


def read_posts(
    paths: "str | os.PathLike | Iterable[str | os.PathLike]",
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    text_column: str = "text",
    platform: str = "generic",
    on_error: Callable[[ReadError], None] | None = None,
    max_length: int | None = None,
) -> Iterator[PublishedPost]:
    """The posts a scan checks, in order: read, dated within ``[since, until)``, short enough."""
    from postguard.platforms import platform_names
    from postguard.scan.readers import read  # here, so ``import postguard`` stays quick (xml, zipfile, csv)

    known = set(platform_names())
    if platform not in known:
        from postguard.errors import one_of

        raise InputError(f"platform {one_of(platform, known)}")
    since, until = _aware(since), _aware(until)
    report = on_error or _log_error
    for path in [paths] if isinstance(paths, (str, os.PathLike)) else list(paths):
        for item in read(path, text_column=text_column, platform=platform):
            if isinstance(item, ReadError):
                report(item)
                continue
            if item.platform not in known:
                item = _with(item, platform="generic")
            if since or until:
                when = _aware(item.date)
                if when is None or (since and when < since) or (until and when >= until):
                    continue
            if max_length is not None and len(item.text) > max_length:
                report(ReadError(item.source, f"post {item.id}", f"{len(item.text):,} characters; the policy "
                                 f"allows at most {max_length:,} (max_text_length), so it is not checked"))
                continue
            yield item


class _Here:
    """Batches checked in this process."""

    def __init__(self, checker: "Checker", policy: "Policy") -> None:
        self.checker, self.policy = checker, policy

    def map(self, batches: Iterable[Sequence], task: "Task") -> Iterator[list]:
        for batch in batches:
            yield task(self.checker, self.policy, list(batch))

    def close(self) -> None:
        pass


def _runner(checker: "Checker", policy: "Policy", jobs: int, dask: str | None):
    if dask:
        from postguard.scan.cluster import DaskRunner

        return DaskRunner(dask, policy, checker.platform)
    if jobs < 1:
        raise InputError(f"jobs must be at least 1, not {jobs!r}")
    if jobs == 1:
        return _Here(checker, policy)
    from postguard.pool import CheckPool

    return CheckPool(checker, jobs, policy)


def _aware(when: datetime | None) -> datetime | None:
    """Dates without a zone are taken as UTC, so every date compares."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=timezone.utc)


def _with(post: PublishedPost, **changes: object) -> PublishedPost:
    from dataclasses import replace

    return replace(post, **changes)


def _log_error(error: ReadError) -> None:
    import logging

    logging.getLogger("postguard.scan").warning("%s", error)  # the file and the place; never post text
