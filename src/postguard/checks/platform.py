"""Platform limits: how far over the platform's length a post is, and where the cut falls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.errors import PolicyError
from postguard.findings import Severity
from postguard.platforms import get_platform

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy


class PlatformCheck(BaseCheck):
    """``platform.length``: the post is longer than the platform accepts."""

    name = "platform"
    needs_doc = False

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        limits = config.get("limits", {}) or {}
        if not isinstance(limits, Mapping) or not all(
            isinstance(v, int) and v > 0 for v in limits.values()
        ):
            raise PolicyError("checks.platform.limits must map platform names to positive integers")
        self.limits = dict(limits)
        self.severity = Severity(config.get("severity", "warning"))

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        platform = get_platform(parsed.post.platform)
        if platform.measure is None:
            return
        limit = self.limits.get(platform.name, platform.limit)
        text = parsed.original
        for m in platform.measure(text, limit):
            if m.cut is None:
                continue
            over = m.length - m.limit
            cut = m.cut
            yield parsed.original_finding(
                cut,
                len(text),
                rule_id="platform.length",
                category="platform",
                severity=self.severity,
                message=(
                    f"{platform.label} allows {m.limit} {m.unit}; this post has {m.length} "
                    f"({over} over). Everything from here on would not fit."
                ),
                score=1.0,
            )
