// The content scripts, in load order: the manifest lists the same files (a unit test keeps the
// two in step) and the service worker registers them for the sites the user adds.
(function (root) {
  const pg = (root.postguard ??= {});
  pg.contentScripts = [
    "messages.js",
    "settings.js",
    "content/text.js",
    "content/removal.js",
    "adapters/adapter.js",
    "adapters/x.js",
    "adapters/mastodon.js",
    "adapters/bluesky.js",
    "adapters/linkedin.js",
    "adapters/wordpress.js",
    "adapters/generic.js",
    "content/panel.js",
    "content/main.js",
  ];
})(globalThis);
