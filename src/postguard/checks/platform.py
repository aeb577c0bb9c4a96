"""Platform limits: how far over the platform's length a post is, and where the cut falls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.errors import InputError, PolicyError, one_of
from postguard.findings import Severity
from postguard.platforms import PLATFORMS, get_platform, load_platform_data

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

_LIMITED = sorted(name for name, p in PLATFORMS.items() if p.measure is not None)


class PlatformCheck(BaseCheck):
    """``platform.length``: the post is longer than the platform accepts.

    Config: ``limits: {platform: n}`` (a Mastodon instance's own limit; a policy's
    ``platforms.mastodon.limit`` lands here) and ``severity`` (default ``warning``).
    """

    name = "platform"
    needs_doc = False

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        unknown = set(config) - {"limits", "severity"}
        if unknown:
            raise PolicyError(f"checks.platform: unknown setting {one_of(sorted(unknown)[0], ['limits', 'severity'])}")
        limits = config.get("limits") or {}
        if not isinstance(limits, Mapping):
            raise PolicyError("checks.platform.limits must map platform names to positive integers")
        self.limits: dict[str, int] = {}
        for key, value in limits.items():
            try:
                name = get_platform(str(key)).name
            except InputError:
                raise PolicyError(f"checks.platform.limits: platform {one_of(key, _LIMITED)}") from None
            if name not in _LIMITED:
                raise PolicyError(f"checks.platform.limits: {name!r} has no length limit; limited: {', '.join(_LIMITED)}")
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise PolicyError(f"checks.platform.limits.{key} must be a positive integer, not {value!r}")
            self.limits[name] = value
        try:
            self.severity = Severity(config.get("severity", "warning"))
        except ValueError:
            raise PolicyError(
                f"checks.platform.severity {one_of(config.get('severity'), [s.value for s in Severity])}"
            ) from None
        load_platform_data()

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        platform = get_platform(parsed.post.platform)
        if platform.measure is None or platform.limit is None:
            return
        limit = self.limits.get(platform.name, platform.limit)
        text = parsed.original
        for m in platform.measure(text, limit):
            if m.cut is None:
                continue
            line = text.count("\n", 0, m.cut) + 1
            col = m.cut - (text.rfind("\n", 0, m.cut) + 1) + 1
            yield parsed.original_finding(
                m.cut,
                len(text),
                rule_id="platform.length",
                category="platform",
                severity=self.severity,
                message=(
                    f"{platform.label} allows {m.limit:,} {m.unit}; this post has {m.length:,} "
                    f"({m.over:,} over). The cut falls at line {line}, column {col}: "
                    "everything from there on would not fit."
                ),
                score=1.0,
            )
