// Mastodon, on any instance: recognised by its web app, not by a domain. The user grants an
// instance's host permission from the options page (a few large instances are in the manifest).
// The compose form is a <form> with one textarea, the content warning's input when the author
// adds one, and one submit button (Mastodon's features/compose/components/compose_form.jsx). The
// warning is posted too, so it is checked with the text; only the form's own submit button posts,
// so a search form's button elsewhere on the page is never taken for it.
// Test URLs: https://mastodon.social/home, https://<instance>/publish
(function (root) {
  const pg = root.postguard;
  const FORM = "form.compose-form";
  const TEXT = "textarea.autosuggest-textarea__textarea, textarea";
  const SUBMIT = 'button[type="submit"], input[type="submit"]';
  const WARNING = "input.spoiler-input__input, input#cw-spoiler-input";

  function isMastodonApp(document) {
    return !!(
      document.querySelector('#mastodon[data-props], script#initial-state') ||
      document.querySelector('meta[name="application-name"][content="Mastodon"]') ||
      (document.body?.classList.contains("app-body") && document.querySelector(FORM))
    );
  }

  pg.adapter.register({
    name: "mastodon",
    platform: "mastodon",
    label: "Mastodon",
    matches: (location, document) => isMastodonApp(document),
    findComposer(document, from) {
      const form = from?.closest?.(FORM) ?? document.querySelector(FORM);
      return form?.querySelector(TEXT) ? form : null;
    },
    editables(composer) {
      // Older versions keep the warning's input in the form, disabled, while it is off.
      const warning = composer.querySelector(WARNING);
      const text = composer.querySelector(TEXT);
      return [warning && !warning.disabled && warning.value.trim() ? warning : null, text].filter(Boolean);
    },
    findSubmit: (document, composer) =>
      (composer ? [composer] : Array.from(document.querySelectorAll(FORM)))
        .flatMap((form) => Array.from(form.querySelectorAll(SUBMIT))),
  });
})(globalThis);
