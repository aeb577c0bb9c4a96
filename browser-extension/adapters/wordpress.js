// WordPress block editor (Gutenberg): the post title and every rich-text block, checked as one
// blog post. Publishing is the header "Publish" (which opens the pre-publish panel) and that
// panel's "Publish"; on a published post "Update" and Ctrl/Cmd+S save straight to the live post.
// The canvas is in the top document (WordPress 6.1 desktop) or in iframe[name=editor-canvas].
// Test URLs: https://example.org/wp-admin/post-new.php, https://example.org/wp-admin/post.php?post=1&action=edit
(function (root) {
  const pg = root.postguard;
  const TITLE = ".editor-post-title__input, .wp-block-post-title[contenteditable]";
  const BLOCKS = '.block-editor-rich-text__editable[contenteditable="true"]';
  const PUBLISH = ".editor-post-publish-panel__toggle, .editor-post-publish-button, " +
    ".editor-post-publish-button__button";

  function canvas(document) {
    const frame = document.querySelector('iframe[name="editor-canvas"]');
    try {
      if (frame?.contentDocument?.body) return frame.contentDocument;
    } catch {
      // cross-origin canvas: not reachable, fall back to the top document
    }
    return document;
  }

  // Told by the editor's structure, not the button's words (the admin may be in any language): a
  // draft's header has the toggle that opens the pre-publish panel; a published or scheduled post's
  // header has the publish button itself, which saves straight to the live post.
  function isPublished(document) {
    return Array.from(document.querySelectorAll(".editor-post-publish-button"))
      .some((b) => !b.closest(".editor-post-publish-panel") && !b.matches(".editor-post-publish-panel__toggle"));
  }

  pg.adapter.register({
    name: "wordpress",
    platform: "blog",
    label: "WordPress",
    separator: "\n\n",
    matches: (location, document) =>
      /\/wp-admin\/(post|post-new)\.php$/.test(location.pathname) &&
      !!document.querySelector(".block-editor, .edit-post-layout, .editor-styles-wrapper, #editor"),
    findComposer(document) {
      const doc = canvas(document);
      const root = doc.querySelector(".editor-styles-wrapper, .block-editor-writing-flow, .edit-post-visual-editor");
      return root ?? (doc.querySelector(BLOCKS) ? doc.body : null);
    },
    editables(composer) {
      const title = composer.querySelector(TITLE) ?? composer.ownerDocument.querySelector(TITLE);
      const blocks = Array.from(composer.querySelectorAll(BLOCKS)).filter((b) => b !== title);
      return title ? [title, ...blocks] : blocks;
    },
    findSubmit: (document) => Array.from(document.querySelectorAll(PUBLISH)),
    isSubmitKey(event) {
      // Ctrl/Cmd+S on a published post updates the live post; on a draft it only saves the draft.
      const save = event.key?.toLowerCase() === "s" && (event.ctrlKey || event.metaKey) && !event.altKey;
      return save && isPublished(event.target.ownerDocument?.defaultView?.top?.document ?? document);
    },
    extraWindows(document) {
      const frame = document.querySelector('iframe[name="editor-canvas"]');
      try {
        return frame?.contentWindow?.document ? [frame.contentWindow] : [];
      } catch {
        return [];
      }
    },
  });
})(globalThis);
