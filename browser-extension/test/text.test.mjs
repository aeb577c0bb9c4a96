// The text model: DOM -> text, offsets -> DOM ranges, and UTF-16 offsets with emoji present.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fixture, load } from "./load.mjs";

const x = () => load(fixture("x-compose.html"), "https://x.com/compose/post");

test("Draft.js blocks read as lines; Draft's zero-width padding is dropped", () => {
  const { document, pg } = x();
  const box = document.querySelector('[data-testid="tweetTextarea_0"]');
  assert.equal(pg.text.readEditable(box).text, "Launch day 😀 write to jane.doe@example.com\n\nSee you there");
});

test("ProseMirror paragraphs, an empty paragraph and trailing breaks", () => {
  const { document, pg } = load(fixture("bluesky.html"), "https://bsky.app/");
  const editor = document.querySelector(".ProseMirror");
  assert.equal(pg.text.readEditable(editor).text, "Café ☕ opens at 9\n\nmail jane.doe@example.com");
});

test("a <br> inside a block is a line break", () => {
  const { document, pg } = load(fixture("wordpress.html"), "https://example.org/wp-admin/post-new.php");
  const last = document.querySelectorAll(".block-editor-rich-text__editable")[2];
  assert.equal(pg.text.readEditable(last).text, "Write to jane.doe@example.com\nor call us.");
});

// (text, UTF-16 span, the words it must cover) — the span comes from the service's `offsets: "utf16"`.
const SPANS = [
  ["x-compose.html", "https://x.com/compose/post", "jane.doe@example.com"],
  ["x-compose.html", "https://x.com/compose/post", "there"],
  ["x-compose.html", "https://x.com/compose/post", "second post"],
  ["bluesky.html", "https://bsky.app/", "jane.doe@example.com"],
  ["bluesky.html", "https://bsky.app/", "opens"],
  ["linkedin.html", "https://www.linkedin.com/feed/", "020 7946 0958"],
  ["wordpress.html", "https://example.org/wp-admin/post-new.php", "open day"],
  ["wordpress.html", "https://example.org/wp-admin/post-new.php", "jane.doe@example.com"],
  ["wordpress.html", "https://example.org/wp-admin/post-new.php", "or call"],
];

for (const [file, url, words] of SPANS) {
  test(`the range for "${words}" in ${file} covers exactly those words`, () => {
    const { document, pg } = load(fixture(file), url);
    const adapter = pg.adapter.adapterFor(new URL(url), document, { sites: {}, extraSites: [] });
    const composer = adapter.findComposer(document, adapter.findSubmit(document, null)[0]);
    const model = adapter.readText(composer);
    const start = model.text.indexOf(words);
    assert.ok(start >= 0, `${words} not in ${JSON.stringify(model.text)}`);
    const range = pg.text.rangeFor(model, start, start + words.length);
    assert.equal(range.toString(), words);
  });
}

test("a textarea maps offsets to itself", () => {
  const { document, pg } = load(fixture("mastodon.html"), "https://mastodon.example/home");
  const field = document.querySelector("textarea");
  const model = pg.text.readComposer([field]);
  assert.equal(model.text, field.value);
  assert.equal(pg.text.rangeFor(model, 0, 5), null); // no DOM range inside a field
});

const CODE_POINTS = [
  ["abc", 2, 2],
  ["😀 a", 1, 2],
  ["😀 a", 2, 3],
  ["👋🏽 x", 2, 4],
  ["🇬🇧🇬🇧", 2, 4],
  ["é😀", 2, 3],
  ["😀", 5, 2], // past the end: clamped
];
for (const [text, cp, utf16] of CODE_POINTS) {
  test(`code point ${cp} of ${JSON.stringify(text)} is UTF-16 offset ${utf16}`, () => {
    const { pg } = x();
    assert.equal(pg.text.utf16FromCodePoints(text, cp), utf16);
  });
}

test("findings already in UTF-16 are kept; code-point findings are converted by their excerpt", () => {
  const { pg } = x();
  const text = "😀 Mail jane.doe@example.com";
  const utf16 = { start: 8, end: 28, excerpt: "jane.doe@example.com" };
  const python = { start: 7, end: 27, excerpt: "jane.doe@example.com" };
  assert.deepEqual({ ...pg.text.alignFinding(text, utf16) }, { start: 8, end: 28 });
  assert.deepEqual({ ...pg.text.alignFinding(text, python) }, { start: 8, end: 28 });
  assert.equal(text.slice(8, 28), "jane.doe@example.com");
});
