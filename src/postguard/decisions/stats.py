"""Stats: the decision log aggregated in the database (a handful of GROUP BY queries)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from pydantic import BaseModel, Field
from sqlalchemy import Connection, and_, func, select

from postguard.decisions.record import HELD, OUTCOMES
from postguard.decisions.tables import decision_rules, decisions

_DAY = 86_400


@dataclass(frozen=True)
class Filters:
    since: int | None = None
    until: int | None = None
    platform: str | None = None
    policy: str | None = None

    def where(self):  # noqa: ANN201
        c = decisions.c
        parts = []
        if self.since is not None:
            parts.append(c.at >= self.since)
        if self.until is not None:
            parts.append(c.at < self.until)
        if self.platform:
            parts.append(c.platform == self.platform)
        if self.policy:
            parts.append(c.policy == self.policy)
        return and_(True, *parts)


def _rate(revised: int, held: int) -> float | None:
    return round(revised / held, 4) if held else None


class Outcomes(BaseModel):
    edited: int = 0
    posted_anyway: int = 0
    cancelled: int = 0
    posted_clean: int = 0


class RuleStats(BaseModel):
    rule_id: str
    category: str
    severity: str
    fired: int = Field(description="Decisions whose check had this rule's finding.")
    held: int = Field(description="Of those, posts that were held (every outcome but posted_clean).")
    edited_away: int = Field(description="Edited, and this rule's finding went away.")
    posted_anyway: int
    cancelled: int
    nudge_rate: float | None = Field(description="(edited_away + cancelled) / held; null when never held.")


class DayStats(BaseModel):
    day: str = Field(description="UTC date, YYYY-MM-DD.")
    held: int
    revised: int
    nudge_rate: float | None


class PlatformStats(BaseModel):
    platform: str
    checks: int
    held: int
    revised: int
    posted_anyway: int
    nudge_rate: float | None


class ReasonCount(BaseModel):
    reason: str
    count: int


class Stats(BaseModel):
    """What happened after the warnings, over the chosen window."""

    checks: int = Field(description="Checks that ended in a recorded decision.")
    held: int = Field(description="Posts held with a warning: edited + posted_anyway + cancelled.")
    revised: int = Field(description="Held posts edited or cancelled.")
    outcomes: Outcomes
    nudge_rate: float | None = Field(description="revised / held; null when nothing was held.")
    rules: list[RuleStats] = Field(description="Most often held first.")
    days: list[DayStats] = Field(description="Per UTC day, oldest first.")
    platforms: list[PlatformStats]
    reasons: list[ReasonCount] = Field(description="Top reasons given for posting anyway.")

    def table(self) -> str:
        """The stats as a plain-text table (``postguard stats``)."""
        pct = lambda r: "-" if r is None else f"{r:.0%}"  # noqa: E731
        o = self.outcomes
        lines = [
            f"checks {self.checks}  held {self.held}  edited {o.edited}  posted anyway {o.posted_anyway}  "
            f"cancelled {o.cancelled}  posted clean {o.posted_clean}  nudge rate {pct(self.nudge_rate)}",
        ]
        if self.rules:
            width = max(len("rule"), *(len(r.rule_id) for r in self.rules))
            lines += ["", f"{'rule':<{width}}  fired   held  edited  anyway  cancelled  nudge"]
            for r in self.rules:
                lines.append(
                    f"{r.rule_id:<{width}}  {r.fired:>5}  {r.held:>5}  {r.edited_away:>6}  {r.posted_anyway:>6}  "
                    f"{r.cancelled:>9}  {pct(r.nudge_rate):>5}"
                )
        if self.reasons:
            lines += ["", "reasons for posting anyway"]
            lines += [f"{r.count:>5}  {r.reason}" for r in self.reasons]
        return "\n".join(lines)


def aggregate(conn: Connection, filters: Filters, top_reasons: int = 10) -> Stats:
    """Stats for the decisions that match ``filters``."""
    c = decisions.c
    where = filters.where()

    outcomes = {o: 0 for o in OUTCOMES}
    for outcome, n in conn.execute(select(c.outcome, func.count()).where(where).group_by(c.outcome)):
        outcomes[outcome] = n
    held = sum(outcomes[o] for o in HELD)
    revised = outcomes["edited"] + outcomes["cancelled"]

    r = decision_rules.c
    per_rule: dict[str, dict] = {}
    query = (
        select(r.rule_id, func.max(r.category), func.max(r.severity), c.outcome, r.acted, func.count())
        .select_from(decision_rules.join(decisions, r.check_id == c.check_id))
        .where(where)
        .group_by(r.rule_id, c.outcome, r.acted)
    )
    for rule_id, category, severity, outcome, acted, n in conn.execute(query):
        row = per_rule.setdefault(
            rule_id,
            {"rule_id": rule_id, "category": category, "severity": severity, "fired": 0, "held": 0,
             "edited_away": 0, "posted_anyway": 0, "cancelled": 0},
        )
        row["fired"] += n
        if outcome in HELD:
            row["held"] += n
        if outcome == "edited" and acted:
            row["edited_away"] += n
        elif outcome in ("posted_anyway", "cancelled"):
            row[outcome] += n
    rules = [
        RuleStats(**row, nudge_rate=_rate(row["edited_away"] + row["cancelled"], row["held"]))
        for row in per_rule.values()
    ]
    rules.sort(key=lambda s: (-s.held, -s.fired, s.rule_id))

    day = (c.at // _DAY).label("day")
    by_day: dict[int, list[int]] = {}
    for d, outcome, n in conn.execute(
        select(day, c.outcome, func.count()).where(where, c.outcome.in_(HELD)).group_by(day, c.outcome)
    ):
        counts = by_day.setdefault(int(d), [0, 0])
        counts[0] += n
        if outcome in ("edited", "cancelled"):
            counts[1] += n
    days = [
        DayStats(
            day=_dt.datetime.fromtimestamp(d * _DAY, _dt.timezone.utc).date().isoformat(),
            held=h, revised=rv, nudge_rate=_rate(rv, h),
        )
        for d, (h, rv) in sorted(by_day.items())
    ]

    by_platform: dict[str, dict[str, int]] = {}
    for platform, outcome, n in conn.execute(
        select(c.platform, c.outcome, func.count()).where(where).group_by(c.platform, c.outcome)
    ):
        by_platform.setdefault(platform, {o: 0 for o in OUTCOMES})[outcome] = n
    platforms = []
    for platform, counts in sorted(by_platform.items()):
        p_held = sum(counts[o] for o in HELD)
        p_revised = counts["edited"] + counts["cancelled"]
        platforms.append(
            PlatformStats(
                platform=platform, checks=sum(counts.values()), held=p_held, revised=p_revised,
                posted_anyway=counts["posted_anyway"], nudge_rate=_rate(p_revised, p_held),
            )
        )

    reasons = [
        ReasonCount(reason=reason, count=n)
        for reason, n in conn.execute(
            select(c.reason, func.count().label("n"))
            .where(where, c.outcome == "posted_anyway", c.reason.is_not(None))
            .group_by(c.reason)
            .order_by(func.count().desc(), c.reason)
            .limit(top_reasons)
        )
    ]
    return Stats(
        checks=sum(outcomes.values()), held=held, revised=revised, outcomes=Outcomes(**outcomes),
        nudge_rate=_rate(revised, held), rules=rules, days=days, platforms=platforms, reasons=reasons,
    )
