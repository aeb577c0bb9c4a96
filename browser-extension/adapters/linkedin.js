// LinkedIn. The share box is a Quill editor (`.ql-editor`) in a dialog; comments use the same.
// Test URLs: https://www.linkedin.com/feed/ ("Start a post")
(function (root) {
  const pg = root.postguard;
  const EDITOR = '.ql-editor[contenteditable="true"], [role="textbox"][contenteditable="true"]';
  const BUTTON = "button.share-actions__primary-action, button.comments-comment-box__submit-button, " +
    "button.comments-comment-box__submit-button--cr";

  pg.adapter.register({
    name: "linkedin",
    platform: "linkedin",
    label: "LinkedIn",
    matches: (location) => location.hostname === "www.linkedin.com" || location.hostname === "linkedin.com",
    findComposer(document, from) {
      const start = from && from.nodeType === 1 ? from : document.querySelector(EDITOR);
      if (!start) return null;
      for (let n = start; n; n = n.parentElement) {
        if (n.querySelector(EDITOR) && n.querySelector(BUTTON)) return n;
      }
      return null;
    },
    editables: (composer) => Array.from(composer.querySelectorAll(EDITOR)).slice(0, 1),
    findSubmit: (document, composer) => Array.from((composer ?? document).querySelectorAll(BUTTON)),
  });
})(globalThis);
