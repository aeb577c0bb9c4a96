"""Report: the findings for one post, its scores and the verdict."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field
from pydantic_core import PydanticSerializationError

from postguard.errors import InputError
from postguard.findings import Finding, Severity
from postguard.overlaps import Group, SpanIndex, group

Verdict = Literal["pass", "warn", "block"]


class Report(BaseModel):
    """What postguard says about one draft."""

    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...] = Field(default=(), description="Every finding, sorted by span.")
    scores: dict[str, float] = Field(default_factory=dict, description="Named 0..1 scores.")
    timings_ms: dict[str, float] = Field(default_factory=dict, description="Time spent per check.")
    policy: str = "default"
    platform: str = "generic"
    version: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verdict(self) -> Verdict:
        """``block`` or ``warn`` by the highest severity; only-``info`` findings still ``pass``."""
        top = max((f.severity for f in self.findings), default=Severity.INFO)
        return {Severity.BLOCK: "block", Severity.WARNING: "warn"}.get(top, "pass")  # type: ignore[return-value]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def groups(self) -> tuple[Group, ...]:
        """Overlapping findings as one highlight with several reasons, for display."""
        return tuple(group(self.findings))

    def to_json(self, **kwargs: Any) -> str:
        """The report as JSON; lone surrogates in excerpts are written as JSON escapes."""
        try:
            return self.model_dump_json(**kwargs)
        except PydanticSerializationError:
            indent = kwargs.get("indent")
            return json.dumps(self.model_dump(mode="json"), ensure_ascii=True, indent=indent)

    def apply_suggestions(self, text: str, finding_ids: Iterable[str] | None = None) -> str:
        """Return ``text`` with the chosen findings' suggestions applied (all when ``None``).

        Where chosen fixes overlap (one group), the most severe wins, then the earlier-starting and
        longer one; the others are skipped, so the result never mixes two rewrites of the same words.
        """
        wanted = None if finding_ids is None else set(finding_ids)
        if wanted is not None:
            known = {f.id for f in self.findings}
            unknown = wanted - known
            if unknown:
                raise InputError(f"unknown finding id(s): {', '.join(sorted(unknown))}")
        chosen = [
            f
            for f in self.findings
            if f.suggestion is not None and (wanted is None or f.id in wanted)
        ]
        # Every finding is kept now, so a blocking fix can sit inside a note's longer rewrite:
        # the blocking one must not be the fix that is skipped.
        chosen.sort(key=lambda f: (-f.severity.rank, f.start, -(f.end - f.start)))
        picked: list[Finding] = []
        # A fix is compared only with the picked fixes near it (3,573 fixes in 50,000 characters:
        # 1.5 s when every picked fix was compared).
        index = SpanIndex()
        for f in chosen:
            if any(_clash(f, picked[i]) for i in index.near(f.start, f.end)):
                continue
            if text[f.start : f.end] != f.excerpt:
                raise InputError(
                    f"the text has changed since it was checked: {f.id} expected {f.excerpt!r}"
                )
            index.add(f.start, f.end, len(picked))
            picked.append(f)
        picked.sort(key=lambda f: (f.start, f.end))
        parts, pos = [], 0
        for f in picked:
            parts += [text[pos : f.start], f.suggestion or ""]
            pos = f.end
        return "".join([*parts, text[pos:]])


def _clash(a: Finding, b: Finding) -> bool:
    """Two fixes that would rewrite the same words (or insert at the same point)."""
    if a.start == a.end or b.start == b.end:
        return a.start == b.start or b.start < a.start < b.end or a.start < b.start < a.end
    return a.start < b.end and b.start < a.end
