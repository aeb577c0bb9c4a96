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
    // The organisation's own WordPress sites, set by policy: ["https://news.example.org/blog", ...]
    wordpressSites: [],
  });
  const KEYS = Object.keys(DEFAULTS);

  async function readManaged() {
    try {
      return (await api.storage.managed.get(KEYS)) ?? {};
    } catch {
      return {}; // no policy installed (or the browser has no managed storage)
    }
  }

  /**
   * The service URL as typed, checked: {url} (no trailing slash) or {error}. Two addresses typed into
   * one another, such as "http://127.0.0.1:800http://127.0.0.1:47729", are refused, not saved.
   */
  function checkServiceUrl(value) {
    const typed = String(value ?? "").trim();
    const hint = "Enter the service's address, like http://127.0.0.1:8000 or https://postguard.example.org";
    if (!typed) return { error: `The service URL is empty. ${hint}.` };
    let url;
    try {
      url = new URL(typed);
    } catch {
      return { error: `"${typed}" is not a web address. ${hint}.` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return { error: `The service URL must start with http:// or https://, not ${url.protocol}//.` };
    }
    if (/:\/\/.*:\/\//.test(typed) || /https?:/i.test(url.host + url.pathname)) {
      return { error: `"${typed}" holds more than one address. ${hint}.` };
    }
    if (url.username || url.password || url.search || url.hash) {
      return { error: "The service URL takes no user name, password, ?query or #fragment: put the API key in its own field." };
    }
    return { url: `${url.origin}${url.pathname}`.replace(/\/+$/, "") };
  }

  /** The settings in force, and which keys the organisation has locked. */
  async function load() {
    const [local, managed] = await Promise.all([api.storage.local.get(KEYS), readManaged()]);
    const merged = { ...DEFAULTS, ...local, ...managed };
    merged.sites = { ...DEFAULTS.sites, ...(local.sites ?? {}), ...(managed.sites ?? {}) };
    merged.serviceUrl = String(merged.serviceUrl || DEFAULTS.serviceUrl).replace(/\/+$/, "");
    return { settings: merged, locked: Object.keys(managed) };
  }

  pg.settings = Object.freeze({ DEFAULTS, KEYS, load, checkServiceUrl });
})(globalThis);
