"""The report a person reads: one self-contained HTML file (no network needed to open it).

Totals by category, severity and year as bar charts, then every flagged post with its date, link,
highlighted spans and reasons, sortable and filterable. The flagged posts are embedded as JSON and
drawn by the page's own script, which puts post text into the page only as text, never as markup.
"""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path

from postguard.findings import CATEGORIES
from postguard.scan.journal import Totals, read_journal
from postguard.scan.writers import json_text

_SEVERITIES = ("block", "warning", "info")


def write_html(output: Path, journal: Path, totals: Totals, meta: dict) -> None:
    """Streamed: each flagged post is copied from the journal into the page's data as it is read."""
    assets = resources.files("postguard.scan.writers")
    style = assets.joinpath("report.css").read_text(encoding="utf-8")
    script = assets.joinpath("report.js").read_text(encoding="utf-8")
    with open(output, "w", encoding="utf-8") as out:
        out.write(_head(style, totals, meta))
        out.write('<script id="posts" type="application/json">[')
        for i, rec in enumerate(read_journal(journal)):
            out.write(("," if i else "") + "\n" + _json_in_script(rec))
        out.write("\n]</script>\n")
        out.write(f"<script>\n{script}</script>\n</body>\n</html>\n")


def _json_in_script(value: object) -> str:
    # "</script>" or "<!--" in a post must not end the data block: escape every "<" (JSON allows it).
    return json_text(value).replace("<", "\\u003c")


def _head(style: str, t: Totals, meta: dict) -> str:
    e = html.escape
    errors = "".join(f"<li>{e(m)}</li>" for m in meta.get("errors", ()))
    years = sorted(t.posts_by_year, key=lambda y: (y == "undated", y))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>postguard scan: {t.flagged:,} of {t.posts:,} posts flagged</title>
<style>
{style}</style>
</head>
<body>
<header>
<h1>postguard scan</h1>
<p class="meta">{e(", ".join(meta.get("inputs", ())))} &middot; policy <b>{e(meta.get("policy", ""))}</b>
&middot; findings of severity {e(meta.get("min_severity", "info"))} and above &middot; {e(meta.get("generated", ""))}</p>
<dl class="totals">
<div><dt>posts scanned</dt><dd id="total-posts">{t.posts}</dd></div>
<div><dt>posts flagged</dt><dd id="total-flagged">{t.flagged}</dd></div>
<div><dt>block</dt><dd id="total-block">{t.verdicts.get("block", 0)}</dd></div>
<div><dt>warn</dt><dd id="total-warn">{t.verdicts.get("warn", 0)}</dd></div>
<div><dt>findings</dt><dd id="total-findings">{t.findings}</dd></div>
<div><dt>read errors</dt><dd id="total-errors">{len(meta.get("errors", ()))}</dd></div>
</dl>
{f'<details class="errors"><summary>Inputs that could not be read</summary><ul>{errors}</ul></details>' if errors else ""}
</header>
<section class="charts">
{_chart("Findings by category", "category", [(c, t.categories.get(c, 0)) for c in CATEGORIES if t.categories.get(c)])}
{_chart("Findings by severity", "severity", [(s, t.severities.get(s, 0)) for s in _SEVERITIES])}
{_chart("Flagged posts by year", "year", [(y, t.flagged_by_year.get(y, 0)) for y in years],
        {y: t.posts_by_year[y] for y in years})}
</section>
<section class="posts">
<h2>Flagged posts</h2>
<form id="filters" role="search">
<input id="q" type="search" placeholder="Search text, rule or reason" aria-label="Search">
<select id="f-category" aria-label="Category"><option value="">every category</option>
{"".join(f'<option value="{c}">{c}</option>' for c in CATEGORIES if t.categories.get(c))}</select>
<select id="f-severity" aria-label="Severity"><option value="">every severity</option>
{"".join(f'<option value="{s}">{s}</option>' for s in _SEVERITIES if t.severities.get(s))}</select>
<select id="f-status" aria-label="Status"><option value="">every status</option></select>
<span id="shown" aria-live="polite"></span>
</form>
<table id="table">
<thead><tr>
<th data-sort="date" aria-sort="none"><button type="button">Date</button></th>
<th data-sort="verdict" aria-sort="none"><button type="button">Verdict</button></th>
<th data-sort="count" aria-sort="none"><button type="button">Findings</button></th>
<th>Post</th>
</tr></thead>
<tbody></tbody>
</table>
</section>
"""


def _chart(title: str, kind: str, bars: list[tuple[str, int]], of: dict[str, int] | None = None) -> str:
    top = max((n for _, n in bars), default=0) or 1
    rows = []
    for label, n in bars:
        total = f' <span class="of">of {of[label]:,}</span>' if of else ""
        rows.append(
            f'<li data-{kind}="{html.escape(label)}" data-count="{n}"><span class="label">{html.escape(label)}</span>'
            f'<span class="bar" style="width:{100 * n / top:.1f}%"></span><span class="n">{n:,}{total}</span></li>'
        )
    return f'<figure class="chart" id="chart-{kind}"><figcaption>{title}</figcaption><ul>{"".join(rows)}</ul></figure>'
