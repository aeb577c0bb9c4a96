// Settings: defaults < the user's choices (storage.local) < the organisation's (storage.managed).
(function (root) {
  const pg = (root.postguard ??= {});
  const api = root.browser ?? root.chrome;

  const DEFAULTS = Object.freeze({
    serviceUrl: "http://127.0.0.1:8000",
    apiKey: "",
    policy: "",
    failMode: "open", // "open": post with a notice when the service fails; "closed": hold the post
    timeoutMs: 5000,
    sites: { x: true, mastodon: true, bluesky: true, linkedin: true, wordpress: true, generic: true },
    // Origins the user switched on from the options page: [{origin, generic}]
    extraSites: [],
  });
  const KEYS = Object.keys(DEFAULTS);

  async function readManaged() {
    try {
      return (await api.storage.managed.get(KEYS)) ?? {};
    } catch {
      return {}; // no policy installed (or the browser has no managed storage)
    }
  }

  /** The settings in force, and which keys the organisation has locked. */
  async function load() {
    const [local, managed] = await Promise.all([api.storage.local.get(KEYS), readManaged()]);
    const merged = { ...DEFAULTS, ...local, ...managed };
    merged.sites = { ...DEFAULTS.sites, ...(local.sites ?? {}), ...(managed.sites ?? {}) };
    merged.serviceUrl = String(merged.serviceUrl || DEFAULTS.serviceUrl).replace(/\/+$/, "");
    return { settings: merged, locked: Object.keys(managed) };
  }

  pg.settings = Object.freeze({ DEFAULTS, KEYS, load });
})(globalThis);
