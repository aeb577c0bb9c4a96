// X / Twitter. Draft.js editors `[data-testid=tweetTextarea_N]`, one per post of a thread.
// Test URLs: https://x.com/compose/post, https://x.com/home (inline composer)
(function (root) {
  const pg = root.postguard;
  const BOX = '[data-testid^="tweetTextarea_"][contenteditable="true"]';
  const BUTTON = '[data-testid="tweetButton"], [data-testid="tweetButtonInline"]';

  pg.adapter.register({
    name: "x",
    platform: "x",
    label: "X / Twitter",
    separate: true, // each box of a thread is its own post
    matches: (location) => /^(mobile\.)?(x|twitter)\.com$/.test(location.hostname),
    findComposer(document, from) {
      // The smallest container holding both an editor and the post button.
      for (let n = from?.nodeType === 1 ? from : document.querySelector(BOX); n; n = n.parentElement) {
        if (n.querySelector(BOX) && n.querySelector(BUTTON)) return n;
      }
      return null;
    },
    editables(composer) {
      const boxes = composer.matches(BOX) ? [composer] : Array.from(composer.querySelectorAll(BOX));
      const n = (el) => Number(el.dataset.testid.replace(/\D+/g, "")) || 0;
      return boxes.sort((a, b) => n(a) - n(b));
    },
    findSubmit: (document, composer) => Array.from((composer ?? document).querySelectorAll(BUTTON)),
  });
})(globalThis);
