// The options page: edits storage.local; keys set through managed storage are shown locked.
(function (root) {
  const pg = root.postguard;
  const api = root.browser ?? root.chrome;
  const $ = (id) => document.getElementById(id);
  const SITE_LABELS = {
    x: "X / Twitter", mastodon: "Mastodon", bluesky: "Bluesky", linkedin: "LinkedIn",
    wordpress: "WordPress block editor", generic: "Other sites added below",
  };

  async function save(patch) {
    await api.storage.local.set(patch);
  }

  function setStatus(el, text, ok) {
    el.textContent = text;
    el.className = ok ? "ok" : "bad";
  }

  async function render() {
    const { settings, locked } = await pg.settings.load();
    $("managed").hidden = locked.length === 0;
    for (const key of ["serviceUrl", "apiKey", "policy", "timeoutMs"]) {
      $(key).value = settings[key] ?? "";
      $(key).disabled = locked.includes(key);
    }
    for (const radio of document.querySelectorAll('input[name="failMode"]')) {
      radio.checked = radio.value === settings.failMode;
      radio.disabled = locked.includes("failMode");
    }
    const sites = $("sites");
    sites.replaceChildren();
    for (const [name, label] of Object.entries(SITE_LABELS)) {
      const box = Object.assign(document.createElement("input"), {
        type: "checkbox", checked: settings.sites[name] !== false, disabled: locked.includes("sites"),
      });
      box.dataset.site = name;
      box.addEventListener("change", async () => {
        const { settings: now } = await pg.settings.load();
        await save({ sites: { ...now.sites, [name]: box.checked } });
      });
      const row = document.createElement("label");
      row.className = "choice";
      row.append(box, ` ${label}`);
      sites.append(row);
    }
    const wordpress = settings.wordpressSites ?? [];
    $("wordpress-sites").hidden = wordpress.length === 0;
    $("wordpress-sites").textContent = `Your organisation's WordPress sites, checked too: ${wordpress.join(", ")}.`;
    const list = $("extra-sites");
    list.replaceChildren();
    for (const site of settings.extraSites) {
      const granted = await api.permissions.contains({ origins: [`${site.origin}/*`] });
      const remove = Object.assign(document.createElement("button"), { type: "button", textContent: "Remove" });
      remove.setAttribute("aria-label", `Remove ${site.origin}`);
      remove.disabled = locked.includes("extraSites");
      remove.addEventListener("click", async () => {
        const { settings: now } = await pg.settings.load();
        await save({ extraSites: now.extraSites.filter((s) => s.origin !== site.origin) });
        await api.permissions.remove({ origins: [`${site.origin}/*`] }).catch(() => {});
        await api.runtime.sendMessage({ type: pg.messages.optionsToWorker.syncSites });
        render();
      });
      const item = document.createElement("li");
      item.append(`${site.origin} — ${site.generic ? "any text box" : "Mastodon"}${granted ? "" : " (not allowed yet)"} `, remove);
      list.append(item);
    }
  }

  /** The typed service URL if it is one address; otherwise say why, and keep the saved one. */
  function typedServiceUrl() {
    const field = $("serviceUrl");
    const { url, error } = pg.settings.checkServiceUrl(field.value);
    $("serviceUrl-error").textContent = error ?? "";
    $("serviceUrl-error").hidden = !error;
    field.setAttribute("aria-invalid", String(!!error));
    return url ?? null;
  }

  $("serviceUrl").addEventListener("change", () => {
    const url = typedServiceUrl();
    if (url) save({ serviceUrl: url });
  });
  for (const key of ["apiKey", "policy"]) {
    $(key).addEventListener("change", () => save({ [key]: $(key).value.trim() }));
  }
  $("timeoutMs").addEventListener("change", () => {
    const ms = Math.max(500, Number($("timeoutMs").value) || pg.settings.DEFAULTS.timeoutMs);
    save({ timeoutMs: ms });
  });
  for (const radio of document.querySelectorAll('input[name="failMode"]')) {
    radio.addEventListener("change", () => radio.checked && save({ failMode: radio.value }));
  }

  $("test").addEventListener("click", async () => {
    const out = $("test-result");
    const serviceUrl = typedServiceUrl();
    if (!serviceUrl) {
      setStatus(out, "Not tested: the service URL is not valid.", false);
      return;
    }
    setStatus(out, "Testing…", true);
    const answer = await api.runtime.sendMessage({
      type: pg.messages.optionsToWorker.testConnection, serviceUrl, apiKey: $("apiKey").value.trim(),
    });
    if (!answer?.ok) {
      setStatus(out, answer?.error?.message ?? "No answer from postguard's worker.", false);
      return;
    }
    const datalist = $("policies");
    datalist.replaceChildren(...answer.policies.map((p) => Object.assign(document.createElement("option"), {
      value: p.name, label: p.description ?? "",
    })));
    const names = answer.policies.map((p) => p.name).join(", ") || "none";
    setStatus(out, `Connected in ${answer.latencyMs} ms. Policies: ${names}.`, true);
  });

  $("add-site").addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = $("sites-result");
    let origin;
    try {
      origin = new URL($("origin").value.trim()).origin;
    } catch {
      setStatus(out, "Enter a full address, like https://mastodon.example", false);
      return;
    }
    // Asked straight from the click: the browser only shows the prompt during a user gesture.
    const granted = await api.permissions.request({ origins: [`${origin}/*`] });
    if (!granted) {
      setStatus(out, `Not added: permission for ${origin} was not given.`, false);
      return;
    }
    const { settings } = await pg.settings.load();
    const extraSites = settings.extraSites.filter((s) => s.origin !== origin);
    extraSites.push({ origin, generic: $("generic").checked });
    await save({ extraSites });
    await api.runtime.sendMessage({ type: pg.messages.optionsToWorker.syncSites });
    setStatus(out, `Added ${origin}. Reload its tabs to start checking there.`, true);
    render();
  });

  api.storage.onChanged.addListener(render);
  render();
})(globalThis);
