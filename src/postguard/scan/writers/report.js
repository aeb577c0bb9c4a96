"use strict";
// Draws the flagged posts from the embedded JSON; post text only ever enters the page as text nodes.
(function () {
  const posts = JSON.parse(document.getElementById("posts").textContent);
  const RANK = { block: 2, warn: 1, warning: 1, pass: 0, info: 0 };
  const tbody = document.querySelector("#table tbody");
  const q = document.getElementById("q");
  const fCat = document.getElementById("f-category");
  const fSev = document.getElementById("f-severity");
  const fStatus = document.getElementById("f-status");
  let sortKey = "date", sortDir = -1;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  }

  // Offsets count code points (as Python does); Array.from splits a string the same way.
  function highlighted(text, findings) {
    const chars = Array.from(text);
    const box = el("div", { class: "text" });
    let at = 0;
    for (const f of [...findings].sort((a, b) => a.start - b.start || b.end - a.end)) {
      if (f.start < at) continue; // overlapping spans: the first keeps the highlight, both keep their reason
      box.append(chars.slice(at, f.start).join(""));
      box.append(el("mark", { class: f.severity, title: `${f.rule_id}: ${f.message}`, "data-rule": f.rule_id },
        chars.slice(f.start, f.end).join("")));
      at = f.end;
    }
    box.append(chars.slice(at).join(""));
    return box;
  }

  function row(rec) {
    const p = rec.post;
    const where = el("div", { class: "where" });
    if (p.url) where.append(el("a", { href: p.url, rel: "noreferrer noopener", target: "_blank" }, p.url));
    else where.append(`${p.source} #${p.id}`);
    if (p.status && p.status !== "published") where.append(" ", el("span", { class: "status" }, p.status));
    const reasons = el("ul", { class: "reasons" });
    for (const f of rec.findings) {
      const li = el("li", {}, el("span", { class: `sev-${f.severity}` }, f.severity), " ",
        el("code", {}, f.rule_id), " ", f.message);
      if (f.suggestion != null) li.append(" \u2192 ", el("q", {}, f.suggestion));
      reasons.append(li);
    }
    const post = el("td", {}, where);
    if (p.title) post.append(el("strong", {}, p.title));
    post.append(highlighted(p.text, rec.findings), reasons);
    return el("tr", { "data-id": p.id },
      el("td", { class: "date" }, p.date ? p.date.slice(0, 10) : "\u2014"),
      el("td", {}, el("span", { class: `verdict ${rec.verdict}` }, rec.verdict)),
      el("td", { class: "count" }, String(rec.findings.length)),
      post);
  }

  const rows = posts.map((rec) => ({ rec, node: row(rec),
    haystack: [rec.post.text, rec.post.title || "", ...rec.findings.map((f) => `${f.rule_id} ${f.message}`)].join("\n").toLowerCase() }));

  for (const s of [...new Set(posts.map((r) => r.post.status))].sort()) fStatus.append(el("option", { value: s }, s));

  function key(r) {
    if (sortKey === "date") return r.rec.post.date || "";
    if (sortKey === "verdict") return RANK[r.rec.verdict] * 1e6 + r.rec.findings.length;
    return r.rec.findings.length;
  }

  function draw() {
    const text = q.value.trim().toLowerCase();
    const shown = rows.filter((r) =>
      (!text || r.haystack.includes(text)) &&
      (!fCat.value || r.rec.findings.some((f) => f.category === fCat.value)) &&
      (!fSev.value || r.rec.findings.some((f) => f.severity === fSev.value)) &&
      (!fStatus.value || r.rec.post.status === fStatus.value));
    shown.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });
    tbody.replaceChildren(...shown.map((r) => r.node));
    document.getElementById("shown").textContent = `${shown.length} of ${rows.length} flagged posts`;
  }

  for (const th of document.querySelectorAll("th[data-sort]")) {
    th.querySelector("button").addEventListener("click", () => {
      sortDir = sortKey === th.dataset.sort ? -sortDir : -1;
      sortKey = th.dataset.sort;
      for (const other of document.querySelectorAll("th[data-sort]")) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      draw();
    });
  }
  for (const input of [q, fCat, fSev, fStatus]) input.addEventListener("input", draw);
  document.getElementById("filters").addEventListener("submit", (e) => e.preventDefault());
  document.querySelector('th[data-sort="date"]').setAttribute("aria-sort", "descending");
  draw();
})();
