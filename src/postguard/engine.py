"""Checker: builds the checks a policy enables once, then runs the one path for every post.

    text -> Post -> ParsedPost (one shared spaCy Doc, made only if a check needs it)
         -> each Check.run -> findings and scores -> policy (severities, allowlist) -> Report
"""

from __future__ import annotations

import json
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from postguard import __version__
from postguard.checks.base import Check, create_check, entity_labels
from postguard.errors import InputError, TextTooLongError, one_of
from postguard.findings import Finding, Score
from postguard.overlaps import merge_duplicates
from postguard.parsing import ParsedPost, parse
from postguard.platforms import get_platform, platform_names
from postguard.policy import Policy, load_policy
from postguard.post import FORMATS, Post, PostMetadata
from postguard.report import Report

if TYPE_CHECKING:
    from postguard.pool import CheckPool

# Posts per batch sent to a worker process: large enough for ``nlp.pipe`` to pay off, small enough
# to spread a few hundred posts over the workers.
_BATCH = 50


class Checker:
    """Load models and rules once; check many posts."""

    def __init__(self, policy: "str | Path | Policy | None" = None, platform: str = "generic") -> None:
        self.policy = load_policy(policy)
        self.platform = get_platform(platform).name
        self._policies: dict[str, Policy] = {}  # loaded by the path or name a call gave
        # Built checks by (policy id, platform), each beside its policy: held, so the id stays its own.
        self._checks: dict[tuple[int, str], tuple[Policy, list[Check]]] = {}
        self._built: dict[tuple[int, str, str], Check] = {}
        self._workers: "CheckPool | None" = None
        self.checks_for(self.policy, self.platform)  # fail fast on a bad policy; load models now

    # ---------------------------------------------------------------- public

    def check(
        self,
        text: str,
        *,
        format: str = "plain",
        platform: str | None = None,
        policy: "str | Path | Policy | None" = None,
        metadata: "PostMetadata | dict[str, Any] | None" = None,
    ) -> Report:
        """Check one draft."""
        return self.check_many([text], format=format, platform=platform, policy=policy, metadata=metadata)[0]

    def check_many(
        self,
        texts: Sequence[str],
        *,
        format: str = "plain",
        platform: str | None = None,
        policy: "str | Path | Policy | None" = None,
        metadata: "PostMetadata | dict[str, Any] | None" = None,
        processes: int = 1,
    ) -> list[Report]:
        """Check drafts in batches (one ``nlp.pipe`` each), on ``processes`` worker processes when
        more than one (kept for later calls until ``close``); reports come back in input order."""
        if isinstance(texts, str):
            raise InputError("check_many takes a list of texts, not one string")
        if not isinstance(processes, int) or processes < 1:
            raise InputError(f"processes must be a whole number of at least 1, not {processes!r}")
        pol = self._resolve_policy(policy)
        plat = get_platform(platform or self.platform).name
        meta = _metadata(metadata)
        # Every text is validated here, before any worker starts, so errors are the same either way.
        posts = [make_post(t, format, plat, meta, pol, where=f"text #{i}") for i, t in enumerate(texts)]
        if processes == 1 or len(posts) < 2:
            return self.run_posts(posts, pol)
        from postguard.pool import batched

        pool = self._pool(pol, processes)
        size = max(1, min(_BATCH, -(-len(posts) // processes)))
        return [r for reports in pool.map(batched(posts, size)) for r in reports]

    def run_posts(self, posts: Sequence[Post], policy: Policy | None = None) -> list[Report]:
        """Check already-built posts (all for one policy; platforms and formats may differ)."""
        pol = policy or self.policy
        if not posts:
            return []
        checks = {p.platform: self.checks_for(pol, p.platform) for p in posts}
        if not any(c.needs_doc for group in checks.values() for c in group):
            return self._run_posts(posts, pol)
        from postguard.memory import batch_zone

        # What spaCy learns from these posts' words is freed when their Reports are made: every
        # Report holds plain strings by then (memory.py).
        with batch_zone():
            return self._run_posts(posts, pol)

    def _run_posts(self, posts: Sequence[Post], pol: Policy) -> list[Report]:
        t0 = time.perf_counter()
        parsed = [parse(p) for p in posts]
        parse_ms = (time.perf_counter() - t0) * 1000 / len(posts)

        by_platform: dict[str, list[int]] = {}
        for i, p in enumerate(posts):
            by_platform.setdefault(p.platform, []).append(i)

        outputs: list[list[Finding | Score]] = [[] for _ in posts]
        timings: list[dict[str, float]] = [{"parse": parse_ms} for _ in posts]
        for plat, idx in by_platform.items():
            checks = self.checks_for(pol, plat)
            group = [parsed[i] for i in idx]
            if any(c.needs_doc for c in checks):
                t = time.perf_counter()
                _attach_docs(group, entity_labels(checks))
                per = (time.perf_counter() - t) * 1000 / len(group)
                for i in idx:
                    timings[i]["nlp"] = per
            for c in checks:
                t = time.perf_counter()
                results = c.run_many(group)
                per = (time.perf_counter() - t) * 1000 / len(group)
                for i, res in zip(idx, results):
                    outputs[i].extend(res)
                    timings[i][c.name] = per
        return [
            self._report(posts[i], parsed[i], outputs[i], timings[i], pol) for i in range(len(posts))
        ]

    def checks_for(self, policy: Policy, platform: str) -> list[Check]:
        """The checks ``policy`` enables on ``platform``, built once and cached."""
        key = (id(policy), platform)
        if key not in self._checks:
            enabled = policy.enabled_checks(platform)
            self._checks[key] = (policy, [self._check(name, conf, policy) for name, conf in enabled.items()])
        return self._checks[key][1]

    def _check(self, name: str, conf: dict[str, Any], policy: Policy) -> Check:
        # A check is built from its name, its settings and the policy, never the platform: the
        # platforms whose profiles leave a check's settings alone share one (the service builds
        # every policy for every platform at start).
        key = (id(policy), name, json.dumps(conf, sort_keys=True, default=repr))
        if key not in self._built:
            self._built[key] = create_check(name, conf, policy)
        return self._built[key]

    def close(self) -> None:
        """End the worker processes ``check_many(processes=N)`` started (they stay for later calls)."""
        if self._workers is not None:
            self._end_workers()  # a weakref.finalize: runs the pool's close once
            self._workers = None

    # ---------------------------------------------------------------- internals

    def _pool(self, pol: Policy, processes: int) -> "CheckPool":
        # Kept between calls: starting and ending the workers costs about as much as the work for
        # 50 tweets (488 ms a call with a new pool, 231 ms with a kept one, 2 processes, same run).
        # One pool at a time, for the last policy and size asked.
        from postguard.pool import CheckPool

        pool = self._workers
        if pool is None or pool.policy is not pol or pool.processes != processes:
            self.close()
            pool = self._workers = CheckPool(self, processes, pol)
            # Ended with this checker, or at exit, if close() is never called.
            self._end_workers = weakref.finalize(self, pool.close)
        return pool

    def _resolve_policy(self, policy: "str | Path | Policy | None") -> Policy:
        if policy is None:
            return self.policy
        if isinstance(policy, Policy):
            return policy
        key = str(policy)
        if key not in self._policies:
            self._policies[key] = load_policy(policy)
        return self._policies[key]

    def _report(
        self,
        post: Post,
        parsed: ParsedPost,
        outputs: list[Finding | Score],
        timings: dict[str, float],
        pol: Policy,
    ) -> Report:
        effective = pol.for_platform(post.platform)
        kept: list[Finding] = []
        scores: dict[str, float] = {}
        for out in outputs:
            if isinstance(out, Score):
                scores[out.name] = round(out.value, 4)
                continue
            severity = effective.severity_for(out)
            if severity is None or effective.allows(out):
                continue
            if severity != out.severity:
                out = out.model_copy(update={"severity": severity})
            kept.append(out)
        ordered = sorted(merge_duplicates(kept), key=lambda f: (f.start, f.end, f.rule_id))
        return Report(
            findings=tuple(ordered),
            scores=scores,
            timings_ms={k: round(v, 3) for k, v in timings.items()},
            policy=pol.name,
            platform=post.platform,
            version=__version__,
        )


def make_post(
    text: object,
    format: str,
    platform: str,
    metadata: "PostMetadata | dict[str, Any] | None",
    policy: Policy,
    *,
    max_length: int | None = None,
    where: str = "the text",
) -> Post:
    """A Post for ``text`` once its type, length, format and platform are known to be valid.

    ``max_length`` is the caller's own limit beside the policy's; ``where`` names the text in errors.
    """
    if not isinstance(text, str):
        raise InputError(f"{where} must be a string, not {type(text).__name__}")
    limit, why = policy.max_text_length, f"the policy {policy.name!r}'s max_text_length"
    if max_length is not None and max_length < limit:
        limit, why = max_length, "this service's max_text_length"
    if len(text) > limit:
        raise TextTooLongError(f"{where} is {len(text):,} characters; at most {limit:,} are allowed ({why})")
    if format not in FORMATS:
        raise InputError(f"format {one_of(format, FORMATS)}")
    return Post(text=text, format=format, platform=get_platform(platform).name, metadata=_metadata(metadata))  # type: ignore[arg-type]


def _metadata(metadata: "PostMetadata | dict[str, Any] | None") -> PostMetadata:
    if metadata is None:
        return PostMetadata()
    if isinstance(metadata, PostMetadata):
        return metadata
    try:
        return PostMetadata.model_validate(metadata)
    except ValidationError as exc:
        raise InputError(f"invalid metadata: {exc.errors()[0]['msg']} (keys: account, scheduled_at)") from None


def _attach_docs(parsed: Sequence[ParsedPost], labels: "frozenset[str] | None" = None) -> None:
    from postguard.nlp import parse_many

    for p, doc in zip(parsed, parse_many([p.text for p in parsed], labels=labels)):
        p.set_doc(doc)


_DEFAULT: Checker | None = None


def check(
    text: str,
    *,
    format: str = "plain",
    platform: str = "generic",
    policy: "str | Path | Policy | None" = None,
    metadata: "PostMetadata | dict[str, Any] | None" = None,
) -> Report:
    """Check one draft with a shared default Checker (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Checker()
    return _DEFAULT.check(text, format=format, platform=platform, policy=policy, metadata=metadata)


__all__ = ["Checker", "check", "platform_names"]
