// Holds a post at the moment it would go out, has the service worker check it, then lets it
// through, or shows the panel. No site logic here: everything site-specific is in adapters/.
//
// Listeners are on `window` in the capture phase, installed at document_start, so they run before
// the page's own handlers (React's root listener included). A held event gets preventDefault() and
// stopImmediatePropagation(); releasing the post sets a one-shot bypass and clicks the site's own
// button, whose dispatch is synchronous.
(function (root) {
  const pg = root.postguard;
  const api = root.browser ?? root.chrome;
  if (pg.interceptor) return; // injected twice (manifest and a registered site): one is enough
  const NOT_CHECKED = "postguard could not check this post";

  let settings = pg.settings.DEFAULTS;
  const ready = pg.settings.load().then((r) => (settings = r.settings)).catch(() => {});
  api.storage.onChanged.addListener(() => pg.settings.load().then((r) => (settings = r.settings)).catch(() => {}));

  let bypass = false; // the next click on a submit control is our own release
  let busy = false; // a check is in flight
  let pressed = null; // {composer, submit}: a press on Post during that check, answered when it returns
  let approved = null; // {adapter, text}: passed or posted anyway (WordPress asks twice: toolbar, pre-publish)
  // The held check this post waits on, {checkIds, ruleIds, composer}: its decision goes to the worker
  // once the post is out (edited, posted_anyway) or abandoned (cancelled), never before the release.
  let pending = null;
  let stopWatchingPending = null;
  let cleared = []; // the reports of the last check that passed

  /** Hand a decision to the worker, which queues and sends it; nothing here waits for it. */
  function decide(outcome, checkIds, extra = {}) {
    if (!checkIds?.length) return;
    try {
      api.runtime.sendMessage({ type: pg.messages.contentToWorker.decision, checkIds, outcome, ...extra }).catch(() => {});
    } catch {
      // the extension was reloaded under the page: the decision is lost, the post is not
    }
  }

  function ruleIdsOf(reports) {
    return [...new Set(reports.flatMap((r) => (r.findings ?? []).filter((f) => f.severity !== "info").map((f) => f.rule_id)))];
  }

  function settle() {
    pending = null;
    stopWatchingPending?.();
    stopWatchingPending = null;
  }

  /** A post was held: remember its first check until the author posts or leaves it. */
  function holdDecision(reports, composer) {
    if (pending) return;
    pending = { checkIds: reports.map((r) => r.check_id).filter(Boolean), ruleIds: ruleIdsOf(reports), composer };
    // Only while a held post waits (this script runs in every frame): its composer gone means the
    // dialog was closed without posting.
    stopWatchingPending = pg.removal.watch(composer, abandon);
  }

  /** After a clean post: the held check's rules that went away (edited), or a clean post. */
  function settleClean(reports) {
    if (pending) {
      const still = new Set(ruleIdsOf(reports));
      decide("edited", pending.checkIds, { ruleIds: pending.ruleIds.filter((id) => !still.has(id)) });
      settle();
    } else {
      decide("posted_clean", reports.map((r) => r.check_id));
    }
  }

  function abandon() {
    if (!pending) return;
    decide("cancelled", pending.checkIds, { ruleIds: [] });
    settle();
  }
  addEventListener("pagehide", abandon);

  function hold(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  function enabled(button) {
    return !button.disabled && button.getAttribute("aria-disabled") !== "true";
  }

  function release(submit) {
    bypass = true;
    try {
      submit.click();
    } finally {
      bypass = false;
    }
  }

  /** Ask the worker; always resolves to an object (errors included), within the time limit. */
  function ask(message, timeoutMs) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({
        ok: false, error: { code: "timeout", message: "The postguard service did not answer in time." },
      }), timeoutMs);
      const done = (answer) => {
        clearTimeout(timer);
        resolve(answer ?? { ok: false, error: { code: "internal", message: "postguard's worker did not answer." } });
      };
      try {
        api.runtime.sendMessage(message).then(done, (err) => done({
          ok: false, error: { code: "extension", message: `postguard's worker is unavailable (${err?.message ?? err}).` },
        }));
      } catch (err) {
        done({ ok: false, error: { code: "extension", message: "postguard was updated or removed: reload the page." } });
      }
    });
  }

  function textsOf(adapter, model) {
    return adapter.separate && model.parts.length > 1 ? model.parts.map((p) => p.model.text) : [model.text];
  }

  /** Findings of every report as spans of the composer's whole text, and the reports' groups of them. */
  function collect(adapter, model, reports) {
    const findings = [];
    const groups = [];
    reports.forEach((report, i) => {
      const part = reports.length > 1 ? model.parts[i] : null;
      const text = part ? part.model.text : model.text;
      const base = part ? part.start : 0;
      for (const f of report.findings ?? []) {
        const { start, end } = pg.text.alignFinding(text, f);
        findings.push({ ...f, id: `${i}:${f.id}`, start: base + start, end: base + end, excerpt: text.slice(start, end) });
      }
      for (const g of report.groups ?? []) groups.push({ findings: g.findings.map((id) => `${i}:${id}`) });
    });
    return { findings, groups };
  }

  function focusComposer(adapter, composer, at) {
    const model = adapter.readText(composer);
    const part = model.parts.find((p) => at != null && at >= p.start && at <= p.end) ?? model.parts[0];
    if (!part) return composer.focus?.();
    part.el.focus();
    if (at == null) return;
    if (part.model.field) {
      part.model.field.setSelectionRange(at - part.start, at - part.start);
      return;
    }
    const range = pg.text.rangeFor(model, at, at);
    if (range) {
      const sel = part.el.ownerDocument.defaultView.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
  }

  /**
   * Check the composer's text once. Resolves to what happened: "released" (passed, or failed open),
   * "held" (the panel shows why), "clear" (passed after an edit in the panel: the panel offers Post),
   * or "stale" (the author kept typing during the check: the answer is about other words).
   * The composer's text is only ever changed by the author's own choice (Apply).
   */
  async function checkOnce(adapter, composer, submit, afterEdit) {
    await ready;
    const model = adapter.readText(composer);
    if (!model.text.trim() || (approved && approved.adapter === adapter.name && approved.text === model.text)) {
      if (afterEdit) return "clear";
      release(submit);
      return "released";
    }
    const answer = await ask(
      { type: pg.messages.contentToWorker.check, texts: textsOf(adapter, model), platform: adapter.platform },
      (settings.timeoutMs ?? 5000) + 3000,
    );
    pg.lastLatencyMs = answer.latencyMs;
    if (adapter.readText(composer).text !== model.text) return "stale";
    if (!answer.ok) return failed(adapter, composer, submit, answer);
    const { findings, groups } = collect(adapter, model, answer.reports);
    if (answer.reports.every((r) => r.verdict === "pass")) {
      approved = { adapter: adapter.name, text: model.text };
      cleared = answer.reports;
      if (afterEdit) {
        pg.panel.showClear({
          composer,
          onPost: () => (pg.panel.close(), release(submit), settleClean(answer.reports)),
          onEdit: () => (pg.panel.close(), focusComposer(adapter, composer)),
        });
        return "clear";
      }
      pg.panel.close();
      release(submit);
      settleClean(answer.reports);
      return "released";
    }
    approved = null;
    holdDecision(answer.reports, composer);
    pg.panel.showFindings({
      adapter, composer, findings, groups, postAnyway: answer.postAnyway,
      onApply: (f) => {
        if (!adapter.replaceRange(composer, f.start, f.end, f.suggestion ?? "")) {
          pg.panel.notice("postguard could not change the text here: edit it by hand.");
          return;
        }
        pg.panel.recheck();
        review(adapter, composer, submit, { afterEdit: true });
      },
      onEdit: () => {
        pg.panel.close();
        focusComposer(adapter, composer, findings[0]?.end);
      },
      onPostAnyway: (reason) => {
        approved = { adapter: adapter.name, text: adapter.readText(composer).text };
        ask({
          type: pg.messages.contentToWorker.postedAnyway,
          ruleIds: findings.filter((f) => f.severity !== "info").map((f) => f.rule_id),
          reason, site: adapter.name,
        }, 2000);
        pg.panel.close();
        release(submit);
        if (pending) decide("posted_anyway", pending.checkIds, { reason, ruleIds: ruleIdsOf(answer.reports) });
        settle();
      },
    });
    return "held";
  }

  /**
   * Check the composer's text; on pass release the post (unless `afterEdit`), otherwise show why.
   * A press on Post during a check is answered when the check returns, never dropped.
   */
  async function review(adapter, composer, submit, { afterEdit = false } = {}) {
    if (busy) {
      pressed = { composer, submit };
      pg.panel.notice("postguard is still checking this post: it is posted as soon as the check passes.", 3000);
      return;
    }
    busy = true;
    let outcome;
    try {
      do outcome = await checkOnce(adapter, composer, submit, afterEdit);
      while (outcome === "stale");
    } finally {
      busy = false;
    }
    const press = pressed;
    pressed = null;
    // The author pressed Post while the re-check after an Apply ran, and it cleared: that press posts.
    if (press && outcome === "clear" && press.composer === composer) {
      pg.panel.close();
      release(press.submit);
      settleClean(cleared);
    }
  }

  function failed(adapter, composer, submit, answer) {
    const error = answer.error ?? { message: "Unknown error." };
    const closed = (answer.failMode ?? settings.failMode) === "closed";
    if (closed) {
      pg.panel.showError({
        composer, error,
        onRetry: () => review(adapter, composer, submit),
        onEdit: () => (pg.panel.close(), focusComposer(adapter, composer)),
      });
      return "held";
    }
    pg.panel.notice(`${NOT_CHECKED}: ${error.message} It was posted without a check.`);
    release(submit);
    return "released";
  }

  function adapterHere() {
    return pg.adapter.adapterFor(location, document, settings);
  }

  function onClick(event) {
    if (bypass) {
      bypass = false;
      return;
    }
    const target = event.target;
    if (!(target instanceof Element) || target.closest("postguard-ui")) return;
    const adapter = adapterHere();
    if (!adapter) return;
    const submit = adapter.findSubmit(document, null).find((b) => b.contains(target));
    if (!submit || !enabled(submit)) return;
    const composer = adapter.findComposer(document, submit);
    if (!composer) return;
    hold(event);
    review(adapter, composer, submit);
  }

  function onKeydown(event) {
    if (!(event.ctrlKey || event.metaKey) || !["Enter", "s", "S"].includes(event.key)) return;
    const adapter = adapterHere();
    if (!adapter) return;
    const target = event.target;
    const composer = adapter.findComposer(document, target instanceof Element && target.ownerDocument === document ? target : null);
    if (!composer || !adapter.isSubmitKey(event, composer)) return;
    const submit = adapter.findSubmit(document, composer).find(enabled);
    if (!submit) return; // nothing would be posted
    hold(event);
    review(adapter, composer, submit);
  }

  const watched = new WeakSet();
  function watch(win) {
    if (watched.has(win)) return;
    watched.add(win);
    win.addEventListener("click", onClick, true);
    win.addEventListener("keydown", onKeydown, true);
  }
  watch(window);

  // Editors inside same-origin iframes (WordPress's editor canvas) send their keys there.
  function watchFrames() {
    const adapter = adapterHere();
    for (const win of adapter?.extraWindows?.(document) ?? []) watch(win);
  }
  // No timer: this script runs in every frame of every matched page. An iframe's load event reaches
  // the window's capture phase, and focus moving into a frame shows as a focusin on its element.
  addEventListener("load", watchFrames, true);
  addEventListener("focusin", (event) => event.target?.tagName === "IFRAME" && watchFrames(), true);

  pg.interceptor = Object.freeze({ review, isBusy: () => busy });
})(globalThis);
