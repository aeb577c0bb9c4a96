// Each site adapter against a saved page of that site: matching, composer, text, submit controls.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SETTINGS, fixture, load } from "./load.mjs";

// Arrays made inside the page's realm are not deepEqual to this realm's.
const plain = (value) => JSON.parse(JSON.stringify(value));

// (fixture, URL, adapter, platform, text read from the composer, submit control labels)
const SITES = [
  ["x-compose.html", "https://x.com/compose/post", "x", "x",
    "Launch day 😀 write to jane.doe@example.com\n\nSee you there\n\n🇬🇧 second post", ["Post all"]],
  ["mastodon.html", "https://mastodon.example/home", "mastodon", "mastodon",
    "Hello 👋🏽 fediverse, ping jane.doe@example.com", ["Post"]],
  ["bluesky.html", "https://bsky.app/", "bluesky", "bluesky",
    "Café ☕ opens at 9\n\nmail jane.doe@example.com", ["Post"]],
  ["linkedin.html", "https://www.linkedin.com/feed/", "linkedin", "linkedin",
    "We're hiring! 🚀\n\nCall 020 7946 0958", ["Post"]],
  ["wordpress.html", "https://example.org/wp-admin/post-new.php", "wordpress", "blog",
    "Summer 🌞 open day\n\nJoin us on Saturday.\n\nContact\n\nWrite to jane.doe@example.com\nor call us.", ["Publish"]],
];

for (const [file, url, name, platform, text, labels] of SITES) {
  test(`${name}: matches ${url}, reads the composer, finds the submit control`, () => {
    const { document, pg } = load(fixture(file), url);
    const adapter = pg.adapter.adapterFor(new URL(url), document, SETTINGS);
    assert.equal(adapter?.name, name);
    assert.equal(adapter.platform, platform);
    const submits = adapter.findSubmit(document, null);
    assert.deepEqual(plain(submits.map((b) => b.textContent.trim()).filter((t) => labels.includes(t))), labels);
    const composer = adapter.findComposer(document, submits[0]);
    assert.ok(composer, "composer found from the submit control");
    assert.equal(adapter.readText(composer).text, text);
    // The composer found from inside the editor is the same one.
    const inside = adapter.editables(composer)[0];
    assert.equal(adapter.findComposer(document, inside), composer);
  });

  test(`${name}: switched off in the options, the page is left alone`, () => {
    const { document, pg } = load(fixture(file), url);
    const off = { ...SETTINGS, sites: { ...SETTINGS.sites, [name]: false } };
    assert.equal(pg.adapter.adapterFor(new URL(url), document, off), null);
  });
}

test("x: each post of a thread is checked on its own, in order", () => {
  const { document, pg } = load(fixture("x-compose.html"), "https://x.com/compose/post");
  const adapter = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  assert.equal(adapter.separate, true);
  const composer = adapter.findComposer(document, document.querySelector('[data-testid="tweetButton"]'));
  const parts = adapter.readText(composer).parts.map((p) => p.model.text);
  assert.deepEqual(plain(parts), ["Launch day 😀 write to jane.doe@example.com\n\nSee you there", "🇬🇧 second post"]);
});

test("x: twitter.com and mobile.twitter.com too, but not other hosts", () => {
  const { document, pg } = load(fixture("x-compose.html"), "https://x.com/compose/post");
  const x = pg.adapters.find((a) => a.name === "x");
  for (const host of ["x.com", "twitter.com", "mobile.twitter.com"]) assert.ok(x.matches(new URL(`https://${host}/home`), document));
  for (const host of ["notx.com", "x.com.evil.example"]) assert.ok(!x.matches(new URL(`https://${host}/home`), document));
});

test("mastodon: recognised on any instance by its web app, not by the domain", () => {
  for (const url of ["https://mastodon.social/home", "https://fosstodon.org/publish", "https://social.example.ac.uk/"]) {
    const { document, pg } = load(fixture("mastodon.html"), url);
    assert.equal(pg.adapter.adapterFor(new URL(url), document, SETTINGS)?.name, "mastodon");
  }
  const { document, pg } = load(fixture("not-mastodon.html"), "https://mastodon.social/about");
  assert.equal(pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS), null);
});

test("wordpress: the title and every block, header Publish and the pre-publish Publish", () => {
  const { document, pg } = load(fixture("wordpress.html"), "https://example.org/wp-admin/post-new.php");
  const wp = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  const composer = wp.findComposer(document, null);
  assert.equal(wp.editables(composer).length, 4);
  // The pre-publish panel opens with its own Publish button.
  document.body.insertAdjacentHTML("beforeend",
    '<div class="editor-post-publish-panel"><div class="editor-post-publish-panel__header-publish-button">' +
    '<button class="components-button editor-post-publish-button editor-post-publish-button__button">Publish</button></div></div>');
  assert.equal(wp.findSubmit(document, composer).length, 2);
  // Ctrl+S on a draft only saves the draft: not a publication.
  const save = new document.defaultView.KeyboardEvent("keydown", { key: "s", ctrlKey: true });
  Object.defineProperty(save, "target", { value: composer });
  assert.equal(wp.isSubmitKey(save, composer), false);
});

test("wordpress: on a published post Ctrl/Cmd+S updates the live post", () => {
  const { document, pg } = load(fixture("wordpress-published.html"), "https://example.org/wp-admin/post.php?post=7&action=edit");
  const wp = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  const composer = wp.findComposer(document, null);
  for (const mod of [{ ctrlKey: true }, { metaKey: true }]) {
    const save = new document.defaultView.KeyboardEvent("keydown", { key: "s", ...mod });
    Object.defineProperty(save, "target", { value: composer });
    assert.equal(wp.isSubmitKey(save, composer), true);
  }
  assert.deepEqual(plain(wp.findSubmit(document, composer).map((b) => b.textContent)), ["Update"]);
});

test("wordpress: a published post is told by the editor's structure, in any admin language", () => {
  for (const [file, label, published] of [
    ["wordpress-published.html", "Aktualisieren", true], ["wordpress-published.html", "Mettre à jour", true],
    ["wordpress.html", "Veröffentlichen", false], ["wordpress.html", "Update", false],
  ]) {
    const url = "https://example.org/wp-admin/post.php?post=7&action=edit";
    const { document, pg } = load(fixture(file), url);
    for (const b of document.querySelectorAll(".editor-post-publish-button__button")) b.textContent = label;
    const wp = pg.adapter.adapterFor(new URL(url), document, SETTINGS);
    const composer = wp.findComposer(document, null);
    const save = new document.defaultView.KeyboardEvent("keydown", { key: "s", ctrlKey: true });
    Object.defineProperty(save, "target", { value: composer });
    assert.equal(wp.isSubmitKey(save, composer), published, `${file} labelled ${label}`);
  }
});

test("wordpress: not outside the post editor", () => {
  const { document, pg } = load(fixture("wordpress.html"), "https://example.org/wp-admin/edit.php");
  assert.equal(pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS), null);
});

test("generic: only on sites the user switched on, and always after the site adapters", () => {
  const url = "https://forum.example/t/1";
  const { document, pg } = load(fixture("generic.html"), url);
  assert.equal(pg.adapter.adapterFor(new URL(url), document, SETTINGS), null);
  const on = { ...SETTINGS, extraSites: [{ origin: "https://forum.example", generic: true }] };
  const adapter = pg.adapter.adapterFor(new URL(url), document, on);
  assert.equal(adapter?.name, "generic");
  assert.equal(pg.adapters.at(-1).name, "generic");
  const submit = adapter.findSubmit(document, document.querySelector("form"))[0];
  const composer = adapter.findComposer(document, submit);
  assert.equal(adapter.readText(composer).text, "A reply with jane.doe@example.com");
});

test("Ctrl/Cmd+Enter in the composer is the post shortcut; plain Enter is not", () => {
  const { document, pg, window } = load(fixture("bluesky.html"), "https://bsky.app/");
  const adapter = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  const composer = adapter.findComposer(document, null);
  const editor = adapter.editables(composer)[0];
  const key = (init) => {
    const e = new window.KeyboardEvent("keydown", init);
    Object.defineProperty(e, "target", { value: editor });
    return adapter.isSubmitKey(e, composer);
  };
  assert.equal(key({ key: "Enter", ctrlKey: true }), true);
  assert.equal(key({ key: "Enter", metaKey: true }), true);
  assert.equal(key({ key: "Enter" }), false);
  assert.equal(key({ key: "Enter", ctrlKey: true, altKey: true }), false);
});

test("generic: submit buttons are found before a composer is known (the click comes first)", () => {
  const url = "https://forum.example/t/1";
  const { document, pg } = load(fixture("generic.html"), url);
  const on = { ...SETTINGS, extraSites: [{ origin: "https://forum.example", generic: true }] };
  const adapter = pg.adapter.adapterFor(new URL(url), document, on);
  assert.deepEqual(plain(adapter.findSubmit(document, null).map((b) => b.textContent)), ["Send"]);
});

test("mastodon: only the compose form's own submit button posts, not another form's", () => {
  const { document, pg } = load(fixture("mastodon.html"), "https://mastodon.social/home");
  const adapter = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  const submits = adapter.findSubmit(document, null);
  assert.deepEqual(plain(submits.map((b) => b.textContent)), ["Post"]);
  assert.ok(!submits.includes(document.querySelector(".search__icon")));
  // The form's other buttons (poll, content warning) are type=button: not submit controls.
  assert.equal(adapter.findSubmit(document, adapter.findComposer(document, null)).length, 1);
});

test("bluesky: the composer is found by its test id; without it, by the editor and the publish button", () => {
  const { document, pg } = load(fixture("bluesky.html"), "https://bsky.app/");
  const adapter = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  const button = document.querySelector('[data-testid="composerPublishBtn"]');
  assert.equal(adapter.findComposer(document, button), document.querySelector('[data-testid="composePostView"]'));
  document.querySelector('[data-testid="composePostView"]').removeAttribute("data-testid");
  const composer = adapter.findComposer(document, button);
  assert.ok(composer?.contains(button));
  assert.equal(adapter.readText(composer).text, "Café ☕ opens at 9\n\nmail jane.doe@example.com");
});

test("linkedin: the share box's Post, not a button of another dialog on the page", () => {
  const { document, pg } = load(fixture("linkedin.html"), "https://www.linkedin.com/feed/");
  const adapter = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  assert.deepEqual(plain(adapter.findSubmit(document, null).map((b) => b.textContent)), ["Post"]);
  assert.equal(adapter.findComposer(document, document.querySelector(".video-player-modal button")), null);
});

test("mastodon: a content warning is checked with the text; an empty or switched-off one is not", () => {
  const { document, pg } = load(fixture("mastodon.html"), "https://mastodon.social/home");
  const adapter = pg.adapter.adapterFor(new URL(document.URL), document, SETTINGS);
  const composer = adapter.findComposer(document, null);
  const textarea = composer.querySelector("textarea");
  textarea.insertAdjacentHTML("beforebegin", '<div class="spoiler-input"><input type="text" id="cw-spoiler-input" class="spoiler-input__input"></div>');
  const warning = composer.querySelector(".spoiler-input__input");
  assert.equal(adapter.readText(composer).text, textarea.value);
  warning.value = "Exam results, call 020 7946 0958";
  assert.equal(adapter.readText(composer).text, `Exam results, call 020 7946 0958\n\n${textarea.value}`);
  warning.disabled = true;
  assert.equal(adapter.readText(composer).text, textarea.value);
});

