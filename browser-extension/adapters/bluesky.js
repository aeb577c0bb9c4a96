// Bluesky. The composer (data-testid="composePostView", in a role=dialog layer) holds one
// TipTap/ProseMirror editor per post of a thread, role=textbox, and the publish button
// data-testid="composerPublishBtn" (social-app src/view/com/composer/Composer.tsx). Found by
// those test ids and roles: React Native Web's class names are generated.
// Test URLs: https://bsky.app/ (New Post), https://bsky.app/intent/compose
(function (root) {
  const pg = root.postguard;
  const COMPOSER = '[data-testid="composePostView"]';
  const EDITOR = '[contenteditable="true"][role="textbox"], .ProseMirror[contenteditable="true"]';
  const BUTTON = '[data-testid="composerPublishBtn"]';

  /** The editors of a composer, outer ones only (an editor never nests another). */
  function editorsIn(el) {
    const all = Array.from(el.querySelectorAll(EDITOR));
    return all.filter((e) => !all.some((o) => o !== e && o.contains(e)));
  }

  pg.adapter.register({
    name: "bluesky",
    platform: "bluesky",
    label: "Bluesky",
    separate: true, // a thread's posts are separate editors
    matches: (location) => location.hostname === "bsky.app" || location.hostname.endsWith(".bsky.app"),
    findComposer(document, from) {
      const start = from && from.nodeType === 1 ? from : document.querySelector(EDITOR);
      if (!start?.closest(`${EDITOR}, ${BUTTON}, ${COMPOSER}`)) return null;
      const own = start.closest(COMPOSER);
      if (own && editorsIn(own).length) return own;
      // Without the test id: the smallest container holding an editor and the publish button.
      for (let n = start; n; n = n.parentElement) {
        if (n.querySelector(EDITOR) && n.querySelector(BUTTON)) return n;
      }
      return start.closest(EDITOR);
    },
    editables: (composer) => (composer.matches(EDITOR) ? [composer] : editorsIn(composer)),
    findSubmit: (document, composer) => Array.from((composer ?? document).querySelectorAll(BUTTON)),
  });
})(globalThis);
