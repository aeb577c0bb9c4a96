// LinkedIn. The share box ("Start a post") is a Quill editor, role=textbox, in a role=dialog; its
// Post button is button.share-actions__primary-action, disabled while the editor is empty.
// Comments use the same editor with their own submit button. LinkedIn's markup is BEM class names
// and aria, not generated: the editor is found by its role and Quill's class, the composer as the
// smallest container holding an editor and a Post button (a page has several dialogs).
// Test URLs: https://www.linkedin.com/feed/ ("Start a post"), https://www.linkedin.com/preload/sharebox/
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
      // Only from an editor or a Post button: the page's other controls have no composer.
      if (!start?.closest(`${EDITOR}, ${BUTTON}`)) return null;
      for (let n = start; n; n = n.parentElement) {
        if (n.querySelector(EDITOR) && n.querySelector(BUTTON)) return n;
      }
      return null;
    },
    editables: (composer) => Array.from(composer.querySelectorAll(EDITOR)).slice(0, 1),
    findSubmit: (document, composer) => Array.from((composer ?? document).querySelectorAll(BUTTON)),
  });
})(globalThis);
