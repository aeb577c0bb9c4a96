// Bluesky. The composer is a ProseMirror (TipTap) editor in a dialog.
// Test URLs: https://bsky.app/ (compose button), https://bsky.app/intent/compose
(function (root) {
  const pg = root.postguard;
  const EDITOR = '.ProseMirror[contenteditable="true"]';
  const BUTTON = '[data-testid="composerPublishBtn"]';

  pg.adapter.register({
    name: "bluesky",
    platform: "bluesky",
    label: "Bluesky",
    separate: true, // a thread's posts are separate editors
    matches: (location) => location.hostname === "bsky.app" || location.hostname.endsWith(".bsky.app"),
    findComposer(document, from) {
      const start = from && from.nodeType === 1 ? from : document.querySelector(EDITOR);
      if (!start) return null;
      for (let n = start; n; n = n.parentElement) {
        if (n.querySelector(EDITOR) && n.querySelector(BUTTON)) return n;
      }
      return start.closest(EDITOR);
    },
    editables: (composer) => (composer.matches(EDITOR) ? [composer] : Array.from(composer.querySelectorAll(EDITOR))),
    findSubmit: (document, composer) => Array.from((composer ?? document).querySelectorAll(BUTTON)),
  });
})(globalThis);
