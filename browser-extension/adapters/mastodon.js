// Mastodon, on any instance: recognised by its web app, not by a domain. The user grants an
// instance's host permission from the options page (a few large instances are in the manifest).
// Test URLs: https://mastodon.social/home, https://<instance>/publish
(function (root) {
  const pg = root.postguard;
  function isMastodonApp(document) {
    return !!(
      document.querySelector('#mastodon[data-props], script#initial-state') ||
      document.querySelector('meta[name="application-name"][content="Mastodon"]') ||
      (document.body?.classList.contains("app-body") && document.querySelector(".compose-form"))
    );
  }

  pg.adapter.register({
    name: "mastodon",
    platform: "mastodon",
    label: "Mastodon",
    matches: (location, document) => isMastodonApp(document),
    findComposer(document, from) {
      const form = from?.closest?.(".compose-form") ?? document.querySelector(".compose-form");
      return form?.querySelector("textarea") ? form : null;
    },
    editables: (composer) => Array.from(composer.querySelectorAll("textarea")).slice(0, 1),
    findSubmit: (document, composer) =>
      Array.from((composer ?? document).querySelectorAll('.compose-form__publish button, button[type="submit"]')),
  });
})(globalThis);
