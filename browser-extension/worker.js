// The service worker (Firefox: background script): the only context that calls the network.
//
// Pages cannot reach a service on 127.0.0.1 (local-network-access rules refuse a page-origin fetch
// to loopback); the worker can, through host_permissions. It keeps no state in globals — the
// browser stops it when idle — and answers every request with an object, never a thrown error,
// so the page side decides deliberately whether to fail open or closed.
if (typeof importScripts === "function") importScripts("messages.js", "settings.js", "content/scripts.js");

(function (root) {
  const pg = root.postguard;
  const api = root.browser ?? root.chrome;
  const { contentToWorker, optionsToWorker } = pg.messages;
  const POLICY_CACHE_MS = 60_000;

  function problem(code, message, status = null) {
    return { ok: false, error: { code, message, status } };
  }

  /** fetch JSON with a timeout; resolves to {ok, status, body} or a problem object. */
  async function request(settings, path, { method = "GET", body, timeoutMs } = {}) {
    // A URL saved before the options page checked it: say so, rather than "could not be reached".
    const { error: badUrl } = pg.settings.checkServiceUrl(settings.serviceUrl);
    if (badUrl) return problem("bad-url", `postguard's service URL is not valid: ${badUrl}`);
    const controller = new AbortController();
    const limit = timeoutMs ?? settings.timeoutMs;
    const timer = setTimeout(() => controller.abort(), limit);
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (settings.apiKey) headers.Authorization = `Bearer ${settings.apiKey}`;
    let response;
    try {
      response = await fetch(`${settings.serviceUrl}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal, credentials: "omit", cache: "no-store",
      });
    } catch (err) {
      if (controller.signal.aborted) {
        return problem("timeout", `The postguard service did not answer within ${(limit / 1000).toFixed(1)} s.`);
      }
      return problem("unreachable", `The postguard service at ${settings.serviceUrl} could not be reached.`);
    } finally {
      clearTimeout(timer);
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    if (response.status === 401 || response.status === 403) {
      return problem(
        "unauthorized",
        response.status === 401
          ? "The postguard service needs an API key: set one in postguard's options."
          : "The postguard service rejected the API key: check it in postguard's options.",
        response.status,
      );
    }
    if (!response.ok) {
      const detail = payload?.error?.message ?? `HTTP ${response.status}`;
      return problem(payload?.error?.code ?? "http", `The postguard service refused the check: ${detail}`, response.status);
    }
    if (payload === null) return problem("bad-response", "The postguard service sent an answer that is not JSON.");
    return { ok: true, status: response.status, body: payload };
  }

  /** The policy's post-anyway rules, cached in session storage (the worker's globals do not last). */
  async function postAnywayFor(settings) {
    const key = `policies:${settings.serviceUrl}`;
    const cached = (await api.storage.session?.get(key))?.[key];
    let listing = cached && Date.now() - cached.at < POLICY_CACHE_MS ? cached.listing : null;
    if (!listing) {
      const res = await request(settings, "/v1/policies");
      if (!res.ok) return null;
      listing = { policies: res.body.policies ?? [], default: res.body.default ?? null };
      await api.storage.session?.set({ [key]: { at: Date.now(), listing } });
    }
    const wanted = settings.policy || listing.default || "default";
    const policy = listing.policies.find((p) => p.name === wanted) ?? listing.policies[0];
    return policy?.post_anyway ?? null;
  }

  async function check({ texts, platform, format = "plain" }) {
    const { settings } = await pg.settings.load();
    const item = (text) => {
      const body = { text, platform, format, offsets: "utf16" };
      if (settings.policy) body.policy = settings.policy;
      return body;
    };
    const started = performance.now();
    const res = texts.length === 1
      ? await request(settings, "/v1/check?offsets=utf16", { method: "POST", body: item(texts[0]) })
      : await request(settings, "/v1/check/batch?offsets=utf16", { method: "POST", body: { items: texts.map(item) } });
    const latencyMs = Math.round(performance.now() - started);
    if (!res.ok) {
      await api.storage.session?.set({ lastCheck: { at: Date.now(), latencyMs, error: res.error.code } });
      return { ...res, failMode: settings.failMode, latencyMs };
    }
    const reports = texts.length === 1 ? [res.body] : res.body.reports;
    if (!Array.isArray(reports) || reports.length !== texts.length) {
      return { ...problem("bad-response", "The postguard service sent an unexpected answer."), failMode: settings.failMode };
    }
    flushDecisions().catch(() => {}); // the service is up: a good moment for queued decisions
    const held = reports.some((r) => r.verdict !== "pass");
    const postAnyway = held ? await postAnywayFor(settings) : null;
    await api.storage.session?.set({ lastCheck: { at: Date.now(), latencyMs, verdicts: reports.map((r) => r.verdict) } });
    return { ok: true, reports, postAnyway, latencyMs, failMode: settings.failMode };
  }

  async function testConnection({ serviceUrl, apiKey }) {
    const { settings } = await pg.settings.load();
    const probe = { ...settings, serviceUrl: String(serviceUrl || settings.serviceUrl).replace(/\/+$/, ""), apiKey: apiKey ?? settings.apiKey };
    const started = performance.now();
    const ready = await request(probe, "/readyz");
    if (!ready.ok) return ready;
    const policies = await request(probe, "/v1/policies");
    if (!policies.ok) return policies;
    return {
      ok: true, policies: policies.body.policies ?? [], default: policies.body.default ?? null,
      latencyMs: Math.round(performance.now() - started),
    };
  }

  async function recordPostedAnyway({ ruleIds, reason, site }) {
    // Which rules were overridden and why — never the post's text.
    const { overrides = [] } = await api.storage.local.get("overrides");
    overrides.push({ at: new Date().toISOString(), site, ruleIds, reason: reason ?? null });
    await api.storage.local.set({ overrides: overrides.slice(-200) });
    return { ok: true };
  }

  // Decisions (what the author did after a check) wait in local storage until the service has
  // them: sent after the post is out, retried on the next check, on start-up and every minute.
  const QUEUE = "decisionQueue";
  const QUEUE_MAX = 500;
  const RETRY_ALARM = "postguard-decisions";
  let queueLock = Promise.resolve();

  /** Run fn(queue) -> queue with no other change to the queue in between. */
  function withQueue(fn) {
    const next = queueLock.then(async () => {
      const { [QUEUE]: queue = [] } = await api.storage.local.get(QUEUE);
      const updated = await fn(queue);
      await api.storage.local.set({ [QUEUE]: updated.slice(-QUEUE_MAX) });
      return updated;
    });
    queueLock = next.catch(() => {});
    return next;
  }

  async function queueDecision({ checkIds, outcome, reason, ruleIds }) {
    const items = (checkIds ?? []).filter(Boolean).map((id) => {
      const body = { check_id: id, outcome };
      if (reason) body.reason = String(reason).slice(0, 200);
      if (Array.isArray(ruleIds)) body.rule_ids = [...new Set(ruleIds)].slice(0, 200);
      return { body, at: Date.now(), tries: 0 };
    });
    if (!items.length) return { ok: true, queued: 0 };
    await withQueue((queue) => [...queue, ...items]);
    flushDecisions(); // not awaited: nothing waits for the service
    return { ok: true, queued: items.length };
  }

  let flushing = null;
  function flushDecisions() {
    flushing ??= sendDecisions().finally(() => (flushing = null));
    return flushing;
  }

  async function sendDecisions() {
    const { settings } = await pg.settings.load();
    const { [QUEUE]: queue = [] } = await api.storage.local.get(QUEUE);
    const key = (item) => `${item.body.check_id}|${item.body.outcome}|${item.at}`;
    const done = new Set();
    const failed = new Set();
    for (const item of queue) {
      const res = await request(settings, "/v1/decisions", { method: "POST", body: item.body });
      const status = res.ok ? res.status : res.error.status;
      // Kept for another try when the service is away, busy or wants a key; dropped when it refuses
      // the decision itself (an old check id, the log switched off).
      const again = !res.ok && (status == null || status >= 500 || [401, 403, 429].includes(status));
      (again ? failed : done).add(key(item));
      if (again && status == null) break; // unreachable: the rest would fail alike
    }
    const left = await withQueue((current) => current
      .filter((item) => !done.has(key(item)))
      .map((item) => (failed.has(key(item)) ? { ...item, tries: item.tries + 1 } : item))
      .filter((item) => item.tries < 100 && Date.now() - item.at < 7 * 86_400_000));
    if (left.length) api.alarms?.create(RETRY_ALARM, { delayInMinutes: 1 });
    return { ok: true, sent: done.size, left: left.length };
  }

  /**
   * Register the content scripts for the origins the user granted from the options page. (The
   * organisation's WordPress sites need none: the manifest's content scripts match every WordPress
   * admin, http or https, in any folder, which the browser grants at install with no prompt.)
   */
  async function syncSites() {
    const { settings } = await pg.settings.load();
    const granted = [];
    for (const site of settings.extraSites ?? []) {
      const pattern = `${site.origin}/*`;
      // A host permission covers every port; Firefox's contains() answers false when asked with one.
      const { protocol, hostname } = new URL(site.origin);
      if (!granted.includes(pattern) && await api.permissions.contains({ origins: [`${protocol}//${hostname}/*`] })) granted.push(pattern);
    }
    const existing = await api.scripting.getRegisteredContentScripts({ ids: ["extra-sites"] }).catch(() => []);
    if (existing.length) await api.scripting.unregisterContentScripts({ ids: ["extra-sites"] });
    if (granted.length) {
      await api.scripting.registerContentScripts([{
        id: "extra-sites", matches: granted, js: pg.contentScripts, runAt: "document_start", allFrames: true,
      }]);
    }
    return { ok: true, sites: granted };
  }

  const handlers = {
    [contentToWorker.check]: check,
    [contentToWorker.openOptions]: async () => (await api.runtime.openOptionsPage(), { ok: true }),
    [contentToWorker.postedAnyway]: recordPostedAnyway,
    [contentToWorker.decision]: queueDecision,
    [optionsToWorker.testConnection]: testConnection,
    [optionsToWorker.syncSites]: syncSites,
  };

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const handler = handlers[message?.type];
    if (!handler) return false;
    handler(message).then(sendResponse, (err) => sendResponse(problem("internal", String(err?.message ?? err))));
    return true; // answer asynchronously
  });

  // The browser's first read of managed storage after it starts takes seconds (it loads the
  // policies); make it now rather than when the author presses Post.
  pg.settings.load().catch(() => {});

  api.action?.onClicked.addListener(() => api.runtime.openOptionsPage());
  api.alarms?.onAlarm.addListener((alarm) => alarm.name === RETRY_ALARM && flushDecisions());
  flushDecisions().catch(() => {}); // whatever an earlier run of the worker left queued
  api.runtime.onInstalled.addListener(() => syncSites().catch(() => {}));
  api.runtime.onStartup?.addListener(() => syncSites().catch(() => {}));
  api.permissions.onRemoved?.addListener(() => syncSites().catch(() => {}));
  // The organisation changed its policy (its extra sites among them).
  api.storage.onChanged.addListener((changes, area) => area === "managed" && syncSites().catch(() => {}));

  pg.worker = { check, testConnection, syncSites, request, queueDecision, flushDecisions };
})(globalThis);
