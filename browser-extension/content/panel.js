// The panel beside the composer, the highlights over the flagged words, and short notices.
// All three live in open shadow roots of their own hosts, outside the editor: the editor's DOM is
// never touched, so Draft.js / ProseMirror / React keep their state.
(function (root) {
  const pg = root.postguard;

  const SEVERITY_LABEL = { block: "Blocks posting", warning: "Warning", info: "Note" };
  const COLOURS = { block: "#c62828", warning: "#b26a00", info: "#1565c0" };

  const STYLE = `
    :host { all: initial; }
    .panel { position: fixed; z-index: 2147483646; width: 340px; max-height: min(70vh, 560px); overflow: auto;
      box-sizing: border-box; background: #fff; color: #1b1b1b; border: 1px solid #c9c9c9; border-radius: 10px;
      box-shadow: 0 8px 28px rgba(0,0,0,.22); font: 14px/1.4 system-ui, sans-serif; padding: 12px 14px; }
    h2 { font-size: 15px; margin: 0 0 6px; outline: none; }
    p { margin: 4px 0; }
    ul { list-style: none; padding: 0; margin: 8px 0; }
    li { border-left: 4px solid var(--c); padding: 6px 8px; margin: 0 0 8px; background: #fafafa; border-radius: 4px; }
    ul.reasons { margin: 4px 0 0; }
    li.reason-item { border-left-width: 2px; padding: 2px 0 2px 8px; margin: 0 0 6px; background: none; }
    .sev { font-size: 12px; font-weight: 600; color: var(--c); text-transform: uppercase; letter-spacing: .03em; }
    q { font-style: normal; background: rgba(255,193,7,.35); }
    .suggestion { margin-top: 4px; }
    button, select { font: inherit; border-radius: 6px; border: 1px solid #8a8a8a; background: #f3f3f3;
      color: #111; padding: 4px 10px; cursor: pointer; }
    button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
    button:disabled { opacity: .5; cursor: not-allowed; }
    button:focus-visible, select:focus-visible, h2:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 10px; }
    .reason { display: block; margin-top: 8px; }
    .reason select { width: 100%; margin-top: 4px; }
    .hint { font-size: 12px; color: #555; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .notice { position: fixed; z-index: 2147483646; right: 16px; bottom: 16px; max-width: 380px;
      background: #222; color: #fff; border-radius: 8px; padding: 10px 14px; font: 14px/1.4 system-ui, sans-serif;
      box-shadow: 0 6px 20px rgba(0,0,0,.3); }
    .mark { position: fixed; z-index: 2147483645; pointer-events: none; border-bottom: 2px solid var(--c);
      background: color-mix(in srgb, var(--c) 18%, transparent); border-radius: 2px; }
    .mark.focus { outline: 2px solid var(--c); }
  `;

  function host(id) {
    let el = document.getElementById(id);
    if (!el) {
      el = document.createElement("postguard-ui");
      el.id = id;
      const shadow = el.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = STYLE;
      shadow.append(style);
      document.documentElement.append(el);
    }
    return el.shadowRoot;
  }

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === false || v == null) continue;
      if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (k === "style") el.style.cssText = v;
      else if (k in el && typeof v !== "string") el[k] = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    el.append(...children.flat().filter((c) => c != null && c !== false));
    return el;
  }

  /** Where a same-origin iframe's viewport sits in this window's (WordPress's editor canvas). */
  function frameOffset(doc) {
    let x = 0;
    let y = 0;
    for (let win = doc.defaultView; win && win !== window; win = win.parent) {
      const frame = win.frameElement;
      if (!frame) break;
      const box = frame.getBoundingClientRect();
      x += box.left + frame.clientLeft;
      y += box.top + frame.clientTop;
    }
    return { x, y };
  }

  function boxOf(el) {
    const box = el.getBoundingClientRect();
    const { x, y } = frameOffset(el.ownerDocument);
    return { left: box.left + x, right: box.right + x, top: box.top + y, bottom: box.bottom + y };
  }

  // ---- highlights ------------------------------------------------------------------------------

  let highlightState = null; // {composer, adapter, spans, focused}

  function drawHighlights() {
    const shadow = host("postguard-highlights");
    shadow.querySelectorAll(".mark").forEach((m) => m.remove());
    if (!highlightState) return;
    const { adapter, composer, spans, focused } = highlightState;
    if (!composer.isConnected) return;
    const model = adapter.readText(composer);
    const { x, y } = frameOffset(composer.ownerDocument);
    for (const span of spans) {
      if (model.text.slice(span.start, span.end) !== span.excerpt) continue; // text moved on
      for (const r of pg.text.rectsFor(model, span.start, span.end)) {
        shadow.append(h("div", {
          class: `mark${span.id === focused ? " focus" : ""}`,
          "data-finding": span.id,
          style: `--c:${COLOURS[span.severity] ?? COLOURS.warning};left:${r.left + x}px;top:${r.top + y}px;` +
            `width:${Math.max(r.width, 4)}px;height:${r.height}px`,
        }));
      }
    }
  }

  function highlight(adapter, composer, spans) {
    highlightState = { adapter, composer, spans, focused: null };
    drawHighlights();
  }

  function clearHighlights() {
    highlightState = null;
    drawHighlights();
  }

  let redrawQueued = false;
  function queueRedraw() {
    if (redrawQueued || !highlightState) return;
    redrawQueued = true;
    requestAnimationFrame(() => {
      redrawQueued = false;
      drawHighlights();
      placePanel();
    });
  }
  addEventListener("scroll", queueRedraw, true);
  addEventListener("resize", queueRedraw);
  addEventListener("input", queueRedraw, true);

  // ---- the panel -------------------------------------------------------------------------------

  let current = null; // {composer, el, stopWatching}

  function placePanel() {
    if (!current) return;
    const { composer, el } = current;
    const box = boxOf(composer);
    const width = 340;
    let left = box.right + 12;
    let top = box.top;
    if (left + width > innerWidth - 8) {
      // No room to the right: below the composer, or over its right edge as a last resort.
      left = Math.min(Math.max(8, box.left), innerWidth - width - 8);
      top = box.bottom + 12;
      if (top + 200 > innerHeight) top = Math.max(8, box.top);
    }
    el.style.left = `${Math.max(8, left)}px`;
    el.style.top = `${Math.max(8, Math.min(top, innerHeight - 120))}px`;
  }

  function close() {
    const shadow = host("postguard-panel");
    shadow.querySelector(".panel")?.remove();
    clearHighlights();
    current?.stopWatching();
    current = null;
  }

  function announce(text) {
    const shadow = host("postguard-panel");
    let live = shadow.querySelector(".live");
    if (!live) {
      live = h("div", { class: "sr live", role: "status", "aria-live": "polite" });
      shadow.append(live);
    }
    live.textContent = "";
    // A fresh text node after a tick is announced even when the words repeat.
    setTimeout(() => (live.textContent = text), 30);
  }

  function mount(composer, panel, initialFocus) {
    close();
    const shadow = host("postguard-panel");
    shadow.append(panel);
    // The site navigated away from the composer or closed its dialog (single-page apps): nothing
    // left to point at. Told by the DOM's mutations, not by polling the composer.
    current = { composer, el: panel, stopWatching: () => {} };
    current.stopWatching = pg.removal.watch(composer, close);
    placePanel();
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        panel.querySelector('[data-action="edit"]')?.click();
      }
    });
    (initialFocus ?? panel.querySelector("h2")).focus();
  }

  /** The report's groups as lists of findings; without groups, every finding stands alone. */
  function groupsOf(findings, groups) {
    const byId = new Map(findings.map((f) => [f.id, f]));
    const out = [];
    const seen = new Set();
    for (const g of groups ?? []) {
      const members = g.findings.map((id) => byId.get(id)).filter(Boolean);
      if (!members.length) continue;
      members.forEach((f) => seen.add(f.id));
      out.push(members);
    }
    for (const f of findings) if (!seen.has(f.id)) out.push([f]);
    const RANK = { block: 0, warning: 1, info: 2 };
    const rank = (f) => RANK[f.severity] ?? 1;
    for (const members of out) members.sort((a, b) => rank(a) - rank(b) || a.start - b.start);
    return out.map((members) => ({
      id: members.map((f) => f.id).join(" "),
      start: Math.min(...members.map((f) => f.start)),
      end: Math.max(...members.map((f) => f.end)),
      severity: members[0].severity,
      members,
    })).sort((a, b) => rank(a) - rank(b) || a.start - b.start);
  }

  /**
   * Show findings that hold a post: one item and one highlight per group of overlapping findings,
   * each of its reasons with its own Apply.
   * opts: {adapter, composer, findings: [{id, start, end, excerpt, message, severity, suggestion}],
   *        groups: [{findings: [id, ...]}], postAnyway, onApply(finding), onEdit(), onPostAnyway(reason)}
   */
  function showFindings(opts) {
    const { adapter, composer, postAnyway } = opts;
    // Blocks first, then warnings, then notes; notes (info) are listed but not highlighted.
    const findings = opts.findings;
    const groups = groupsOf(findings, opts.groups);
    const serious = groups.filter((g) => g.severity !== "info");
    const notes = findings.filter((f) => f.severity === "info").length;
    const blocking = findings.some((f) => f.severity === "block");
    const allowed = !(blocking && postAnyway && postAnyway.allowed_on_block === false);
    const needReason = !!postAnyway?.require_reason && allowed;
    const reasons = postAnyway?.reasons ?? [];

    const model = adapter.readText(composer);
    let fixes = 0;
    const reason = (f, g) => {
      const own = f.start !== g.start || f.end !== g.end;
      return h("li", { class: "reason-item", style: `--c:${COLOURS[f.severity] ?? COLOURS.warning}`, "data-finding": f.id },
        g.members.length > 1 ? h("div", { class: "sev" }, SEVERITY_LABEL[f.severity] ?? f.severity) : null,
        h("p", { class: "message" }, f.message),
        own && f.excerpt ? h("p", {}, "In: ", h("q", {}, f.excerpt)) : null,
        f.suggestion != null ? h("div", { class: "suggestion" },
          h("span", {}, "Suggestion: ", h("q", {}, f.suggestion || "(remove)")), " ",
          h("button", {
            type: "button", "data-action": "apply", "aria-label": `Apply suggestion ${++fixes}: ${f.suggestion || "remove"}`,
            on: { click: () => opts.onApply(f) },
          }, "Apply")) : null,
      );
    };
    const list = h("ul", { "aria-label": "Findings" }, groups.map((g) => {
      const words = model.text.slice(g.start, g.end) || g.members[0].excerpt;
      const several = g.members.length > 1;
      return h("li", { class: "group", style: `--c:${COLOURS[g.severity] ?? COLOURS.warning}`, "data-group": g.id },
        h("div", { class: "sev" }, (SEVERITY_LABEL[g.severity] ?? g.severity) + (several ? ` · ${g.members.length} reasons` : "")),
        words ? h("p", {}, "In: ", h("q", {}, words)) : null,
        h("ul", { class: "reasons", "aria-label": several ? `${g.members.length} reasons` : "Reason" },
          g.members.map((f) => reason(f, g))),
      );
    }));
    list.addEventListener("focusin", (e) => {
      const id = e.target.closest("li.group")?.dataset.group;
      if (highlightState && id) {
        highlightState.focused = id;
        drawHighlights();
      }
    });

    let select = null;
    const postButton = h("button", {
      type: "button", "data-action": "post-anyway", disabled: !allowed || needReason,
      on: { click: () => opts.onPostAnyway(select ? select.value : null) },
    }, "Post anyway");
    if (needReason) {
      select = h("select", {
        "aria-label": "Reason for posting anyway",
        on: { change: () => (postButton.disabled = !select.value) },
      }, h("option", { value: "" }, "Choose a reason…"), reasons.map((r) => h("option", { value: r }, r)));
    }
    const count = findings.length - notes;
    const title = `postguard held this post: ${count} finding${count === 1 ? "" : "s"}` +
      (notes ? ` and ${notes} note${notes === 1 ? "" : "s"}` : "");
    const panel = h("section", { class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "pg-title" },
      h("h2", { id: "pg-title", tabindex: "-1" }, title),
      h("p", { class: "hint" }, "Nothing was posted. Your text is still in the editor."),
      list,
      needReason ? h("label", { class: "reason" }, "Reason for posting anyway", select) : null,
      !allowed ? h("p", { class: "hint" }, "This policy does not allow posting with a blocking finding.") : null,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", "data-action": "edit", on: { click: () => opts.onEdit() } }, "Edit"),
        postButton),
    );
    mount(composer, panel);
    highlight(adapter, composer, serious.map((g) => ({
      id: g.id, start: g.start, end: g.end, severity: g.severity, excerpt: model.text.slice(g.start, g.end),
    })));
    announce(`${title}. ${serious.flatMap((g) => g.members.map((f) => f.message)).join(". ")}`);
  }

  /** The post passed after edits in the panel: offer to post it. */
  function showClear({ composer, onPost, onEdit }) {
    const panel = h("section", { class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "pg-title" },
      h("h2", { id: "pg-title", tabindex: "-1" }, "postguard: no findings left"),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", "data-action": "post", on: { click: onPost } }, "Post"),
        h("button", { type: "button", "data-action": "edit", on: { click: onEdit } }, "Edit")),
    );
    mount(composer, panel, panel.querySelector('[data-action="post"]'));
    announce("No findings left. The post can go.");
  }

  /** The check failed and the policy is fail-closed: the post stays held. */
  function showError({ composer, error, onRetry, onEdit }) {
    const panel = h("section", { class: "panel", role: "alertdialog", "aria-modal": "false", "aria-labelledby": "pg-title" },
      h("h2", { id: "pg-title", tabindex: "-1" }, "postguard could not check this post"),
      h("p", { class: "error" }, error.message),
      h("p", { class: "hint" }, "Nothing was posted (postguard is set to hold posts it cannot check). Your text is still in the editor."),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", "data-action": "retry", on: { click: onRetry } }, "Try again"),
        h("button", { type: "button", "data-action": "edit", on: { click: onEdit } }, "Edit")),
    );
    mount(composer, panel);
    announce(`postguard could not check this post. ${error.message}`);
  }

  /**
   * The text changed (an Apply) and is being checked again: the findings on show point at the old
   * text, so their Apply and Post anyway buttons wait for the new answer. Edit still works.
   */
  function recheck() {
    const panel = current?.el;
    if (!panel) return;
    panel.setAttribute("aria-busy", "true");
    for (const el of panel.querySelectorAll('[data-action="apply"], [data-action="post-anyway"], select')) {
      el.disabled = true;
    }
    clearHighlights();
  }

  let noticeTimer = null;
  /** A short notice that does not take focus (used when a post went through unchecked). */
  function notice(text, ms = 8000) {
    const shadow = host("postguard-notice");
    shadow.querySelector(".notice")?.remove();
    shadow.append(h("div", { class: "notice", role: "alert" }, text));
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => shadow.querySelector(".notice")?.remove(), ms);
  }

  pg.panel = Object.freeze({ showFindings, showClear, showError, notice, close, recheck, isOpen: () => !!current });
})(globalThis);
