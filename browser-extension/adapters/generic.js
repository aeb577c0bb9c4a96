// Any other site the user switched on in the options: the textarea or contenteditable being
// written in, and the submit button of its form. Always tried last.
(function (root) {
  const pg = root.postguard;
  const FIELD = 'textarea, [contenteditable="true"], [contenteditable=""]';

  function enabledHere(location, settings) {
    return (settings.extraSites ?? []).some((s) => s.generic && s.origin === location.origin);
  }

  pg.adapter.register({
    name: "generic",
    platform: "generic",
    label: "Other sites",
    matches: (location, document, settings) => enabledHere(location, settings),
    findComposer(document, from) {
      const form = from?.closest?.("form");
      const field = (form ?? document).querySelector(FIELD) ??
        (document.activeElement?.matches?.(FIELD) ? document.activeElement : null);
      if (!field) return null;
      return form ?? field;
    },
    editables(composer) {
      if (composer.matches(FIELD)) return [composer];
      const fields = Array.from(composer.querySelectorAll(FIELD));
      return fields.filter((f) => !fields.some((o) => o !== f && o.contains(f))).slice(0, 1);
    },
    findSubmit(document, composer) {
      const SUBMIT = 'button[type="submit"], button:not([type]), input[type="submit"]';
      const form = composer?.closest?.("form") ?? null;
      if (form) return Array.from(form.querySelectorAll(SUBMIT));
      // No composer yet: the submit buttons of every form that has something to write in.
      return Array.from(document.querySelectorAll("form"))
        .filter((f) => f.querySelector(FIELD))
        .flatMap((f) => Array.from(f.querySelectorAll(SUBMIT)));
    },
  });
})(globalThis);
