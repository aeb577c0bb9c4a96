// Mastodon, on any instance: recognised by its web app, not by a domain. The user grants an
// instance's host permission from the options page (a few large instances are in the manifest).
// The compose form is a <form> with one textarea and one submit button (Mastodon's
// features/compose/components/compose_form.jsx); only the form's own submit button posts, so a
// search form's button elsewhere on the page is never taken for it.
// Test URLs: https://mastodon.social/home, https://<instance>/publish
(function (root) {
  const pg = root.postguard;
  const FORM = "form.compose-form";
  const TEXT = "textarea.autosuggest-textarea__textarea, textarea";
  const SUBMIT = 'button[type="submit"], input[type="submit"]';

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
    editables: (composer) => Array.from(composer.querySelectorAll(TEXT)).slice(0, 1),
    findSubmit: (document, composer) =>
      (composer ? [composer] : Array.from(document.querySelectorAll(FORM)))
        .flatMap((form) => Array.from(form.querySelectorAll(SUBMIT))),
  });
})(globalThis);
