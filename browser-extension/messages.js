// Every message between the extension's contexts, named by direction (sender -> receiver).
// Loaded by the service worker, the content scripts and the options page alike.
(function (root) {
  const pg = (root.postguard ??= {});
  pg.messages = Object.freeze({
    contentToWorker: Object.freeze({
      // {texts: string[], platform, format} -> {ok, reports, postAnyway, latencyMs} | {ok: false, error}
      check: "content->worker:check",
      // {} -> opens the options page
      openOptions: "content->worker:open-options",
      // {ruleIds, reason, site} -> records that the author posted despite findings (no post text)
      postedAnyway: "content->worker:posted-anyway",
      // {checkIds, outcome, reason?, ruleIds?} -> queued for POST /v1/decisions, sent and retried later
      decision: "content->worker:decision",
    }),
    optionsToWorker: Object.freeze({
      // {serviceUrl, apiKey} -> {ok, policies, latencyMs} | {ok: false, error}
      testConnection: "options->worker:test-connection",
      // {} -> re-registers content scripts for the user's extra sites (after a permission grant)
      syncSites: "options->worker:sync-sites",
    }),
  });
})(globalThis);
