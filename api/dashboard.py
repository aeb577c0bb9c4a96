"""The /stats page: Stats as one HTML page with server-drawn SVG charts (no script, no CDN).

Every chart is also a table, every bar a focusable element with its figure in its label, so the
page reads the same from the keyboard or a screen reader; the SVGs scale to the window's width.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from html import escape

from postguard.decisions import Stats
from postguard.platforms import PLATFORMS

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .4rem}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;list-style:none}
.cards li{border:1px solid #ccc;border-radius:6px;padding:.4rem .8rem;min-width:7rem}
.cards b{display:block;font-size:1.4rem}
form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}label{display:flex;flex-direction:column;font-size:.9rem}
input,select,button{font:inherit;padding:.25rem .4rem}
.days svg{width:100%;height:10rem;display:block}.axis{font-size:.8rem}
.ends{display:flex;justify-content:space-between;font-size:.8rem}
.bar{fill:#2f6db5}.bar.over{fill:#b5462f}g:focus{outline:none}g:focus .bar{stroke:#000;stroke-width:3}
.bars .row{padding:.15rem 0}.row .label{display:block;overflow-wrap:anywhere}
.row .line{display:flex;align-items:center;gap:.5rem}.row svg{flex:1;height:1rem;min-width:0}
.row .value{white-space:nowrap;font-size:.9rem;min-width:7.5rem;text-align:right}
:focus-visible{outline:3px solid #000;outline-offset:2px}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.2rem .4rem;border-bottom:1px solid #ddd}
td.n,th.n{text-align:right}details{margin:.4rem 0}.empty{color:#555}
@media (max-width:30rem){body{padding:.5rem}.cards li{min-width:40%}}
"""


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def _bars(name: str, rows: list[tuple[str, float, str]], maximum: float, over: bool = False) -> str:
    """Horizontal bars, one focusable row each: ``(label, value, shown)``.

    Labels and figures are HTML text, only the bar is SVG: text stays readable in a narrow window
    where a scaled-down SVG's text would not.
    """
    if not rows:
        return '<p class="empty">Nothing yet.</p>'
    parts = [f'<div class="bars" data-chart="{name}" role="list" aria-label="{escape(name)}">']
    for label, value, shown in rows:
        pct = 0.0 if maximum <= 0 else max(0.5, 100 * value / maximum)
        parts.append(
            f'<div class="row" tabindex="0" role="listitem" aria-label="{escape(label)}: {escape(shown)}" '
            f'data-key="{escape(label)}" data-value="{value:g}">'
            f'<span class="label">{escape(label)}</span><span class="line">'
            f'<svg viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true">'
            f'<rect class="bar{" over" if over else ""}" x="0" y="0" width="{pct:.2f}" height="4"/></svg>'
            f'<span class="value">{escape(shown)}</span></span></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def _days(stats: Stats) -> str:
    """The nudge rate per day: vertical bars, 0-100%, each focusable with its figure."""
    if not stats.days:
        return '<p class="empty">Nothing held yet.</p>'
    n, width, height = len(stats.days), 600, 160
    step = width / n
    parts = [
        '<div class="days"><span class="axis">100%</span>',
        f'<svg data-chart="days" viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="list" '
        'aria-label="nudge rate per day">',
        f'<line x1="0" x2="{width}" y1="{height}" y2="{height}" stroke="#999"/>',
    ]
    for i, d in enumerate(stats.days):
        rate = d.nudge_rate or 0.0
        h = round(height * rate)
        label = f"{d.day}: {_pct(d.nudge_rate)} of {d.held} held"
        parts.append(
            f'<g tabindex="0" role="listitem" aria-label="{escape(label)}" data-key="{d.day}" data-value="{rate:g}">'
            f'<title>{escape(label)}</title>'
            f'<rect class="bar" x="{i * step + step * 0.15:.1f}" y="{height - h}" width="{step * 0.7:.1f}" height="{h}"/></g>'
        )
    parts.append(
        f'</svg><span class="ends"><span>{stats.days[0].day}</span><span>{stats.days[-1].day}</span></span></div>'
    )
    return "".join(parts)


def _table(headers: list[str], rows: list[list[object]], caption: str) -> str:
    head = "".join(f'<th scope="col"{" class=n" if i else ""}>{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td{" class=n" if i else ""}>{escape(str(c))}</td>' for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f"<details><summary>{escape(caption)} as a table</summary><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"


def _form(filters: dict[str, object]) -> str:
    def day(value: object) -> str:
        return value.date().isoformat() if isinstance(value, datetime) else ""

    platform = filters.get("platform") or ""
    options = '<option value="">all</option>' + "".join(
        f'<option value="{escape(p)}"{" selected" if p == platform else ""}>{escape(p)}</option>' for p in PLATFORMS
    )
    return (
        '<form method="get" action="/stats" aria-label="filters">'
        f'<label>From <input type="date" name="since" value="{day(filters.get("since"))}"></label>'
        f'<label>Before <input type="date" name="until" value="{day(filters.get("until"))}"></label>'
        f'<label>Platform <select name="platform">{options}</select></label>'
        f'<label>Policy <input name="policy" size="10" value="{escape(str(filters.get("policy") or ""))}"></label>'
        "<button>Show</button></form>"
    )


def render(stats: Stats, filters: dict[str, object]) -> tuple[bytes, str]:
    """The page and its Content-Security-Policy."""
    o = stats.outcomes
    cards = [
        ("checks", stats.checks), ("held", stats.held), ("nudge rate", _pct(stats.nudge_rate)),
        ("edited", o.edited), ("cancelled", o.cancelled), ("posted anyway", o.posted_anyway),
        ("posted clean", o.posted_clean),
    ]
    overridden = sorted((r for r in stats.rules if r.posted_anyway), key=lambda r: (-r.posted_anyway, r.rule_id))[:10]
    acted = sorted(
        (r for r in stats.rules if r.edited_away + r.cancelled), key=lambda r: (-(r.edited_away + r.cancelled), r.rule_id)
    )[:10]
    top_over = max((r.posted_anyway for r in overridden), default=0)
    top_acted = max((r.edited_away + r.cancelled for r in acted), default=0)
    held_platforms = [p for p in stats.platforms if p.held]
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>postguard: what happened after the warnings</title><style>{_STYLE}</style></head>
<body><main>
<h1>What happened after the warnings</h1>
<p>Outcomes of held posts, from the decision log (no post text is kept). The nudge rate is the share of
held posts that were edited or cancelled.</p>
{_form(filters)}
<ul class="cards" aria-label="totals">{"".join(f'<li data-stat="{escape(k)}">{escape(k)}<b>{escape(str(v))}</b></li>' for k, v in cards)}</ul>
<section aria-labelledby="h-days"><h2 id="h-days">Nudge rate over time</h2>{_days(stats)}
{_table(["day", "held", "revised", "nudge rate"], [[d.day, d.held, d.revised, _pct(d.nudge_rate)] for d in stats.days], "Nudge rate per day")}</section>
<section aria-labelledby="h-over"><h2 id="h-over">Most often posted anyway (candidates to retune)</h2>
{_bars("overridden", [(r.rule_id, r.posted_anyway, f"{r.posted_anyway} of {r.held} held") for r in overridden], top_over, over=True)}
{_table(["rule", "held", "posted anyway", "nudge rate"], [[r.rule_id, r.held, r.posted_anyway, _pct(r.nudge_rate)] for r in overridden], "Most often posted anyway")}</section>
<section aria-labelledby="h-acted"><h2 id="h-acted">Most often acted on</h2>
{_bars("acted", [(r.rule_id, r.edited_away + r.cancelled, f"{r.edited_away + r.cancelled} of {r.held} held") for r in acted], top_acted)}
{_table(["rule", "held", "edited away", "cancelled", "nudge rate"], [[r.rule_id, r.held, r.edited_away, r.cancelled, _pct(r.nudge_rate)] for r in acted], "Most often acted on")}</section>
<section aria-labelledby="h-platforms"><h2 id="h-platforms">Nudge rate by platform</h2>
{_bars("platforms", [(p.platform, p.nudge_rate or 0.0, f"{_pct(p.nudge_rate)} of {p.held} held") for p in held_platforms], 1.0)}
{_table(["platform", "checks", "held", "revised", "posted anyway", "nudge rate"], [[p.platform, p.checks, p.held, p.revised, p.posted_anyway, _pct(p.nudge_rate)] for p in stats.platforms], "By platform")}</section>
<section aria-labelledby="h-reasons"><h2 id="h-reasons">Reasons given for posting anyway</h2>
{_table(["reason", "times"], [[r.reason, r.count] for r in stats.reasons], "Top reasons") if stats.reasons else '<p class="empty">None given yet.</p>'}</section>
</main></body></html>"""
    style_hash = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode()
    csp = (
        f"default-src 'none'; style-src 'sha256-{style_hash}'; img-src data:; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    return html.encode("utf-8"), csp
