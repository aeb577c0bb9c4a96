// Against DOM rendered by the real editor libraries (Draft.js, ProseMirror, Quill): the extension
// reads the same text as the editor's own model, and offsets map back to exactly the right words.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SETTINGS, fixture, load } from "./load.mjs";

const EDITORS = [
  ["real-x.html", "https://x.com/compose/post", "Draft.js"],
  ["real-bluesky.html", "https://bsky.app/", "ProseMirror"],
  ["real-linkedin.html", "https://www.linkedin.com/feed/", "Quill"],
];
const WORDS = ["café", "jane.doe@example.com", "🇬🇧", "See you there", "🚀🎉"];

for (const [file, url, library] of EDITORS) {
  const open = () => {
    const { document, pg } = load(fixture(file), url);
    const own = JSON.parse(document.querySelector('meta[name="editor-text"]').content);
    const adapter = pg.adapter.adapterFor(new URL(url), document, SETTINGS);
    const composer = adapter.findComposer(document, adapter.findSubmit(document, null)[0]);
    return { pg, own, model: adapter.readText(composer) };
  };

  test(`${library}: the text read from the DOM is the editor's own text`, () => {
    const { own, model } = open();
    assert.equal(model.text, own);
  });

  for (const words of WORDS) {
    test(`${library}: the service's UTF-16 span of "${words}" maps to exactly those words`, () => {
      const { pg, model } = open();
      const start = model.text.indexOf(words); // a JavaScript index: the service's `offsets: "utf16"`
      assert.ok(start >= 0);
      assert.equal(pg.text.rangeFor(model, start, start + words.length).toString(), words);
    });
  }
}
