// The composer's removal is seen from the DOM's mutations, with no timer: the panel closes, and a
// held post's decision is settled, when the site unmounts the composer or closes its dialog.
import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "./load.mjs";

const PAGE = '<main><div id="dialog"><div id="composer"><textarea></textarea></div></div><p id="other"></p></main>';
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The page with every setInterval the scripts make counted. */
function page(also = []) {
  const intervals = [];
  const loaded = load(PAGE, "https://example.org/", {
    also,
    before(window) {
      const original = window.setInterval;
      window.setInterval = (...args) => (intervals.push(args), original.apply(window, args));
    },
  });
  return { ...loaded, intervals };
}

test("watch: called once when an ancestor of the element is removed, not for other changes", async () => {
  const { document, pg } = page();
  const calls = [];
  pg.removal.watch(document.getElementById("composer"), () => calls.push("gone"));
  document.getElementById("other").append(document.createElement("span"));
  document.querySelector("textarea").value = "typing";
  await settled();
  assert.deepEqual(calls, []);
  document.getElementById("dialog").remove();
  await settled();
  document.querySelector("main").remove();
  await settled();
  assert.deepEqual(calls, ["gone"]);
});

test("watch: stop() ends it; an element already gone is reported at once", async () => {
  const { document, pg } = page();
  const calls = [];
  const composer = document.getElementById("composer");
  const stop = pg.removal.watch(composer, () => calls.push("first"));
  stop();
  document.getElementById("dialog").remove();
  await settled();
  assert.deepEqual(calls, []);
  pg.removal.watch(composer, () => calls.push("detached"));
  await settled();
  assert.deepEqual(calls, ["detached"]);
});

test("watch: an editor in a same-origin iframe is gone when its iframe is removed", async () => {
  const { document, pg } = page();
  const frame = document.createElement("iframe");
  document.body.append(frame);
  const editor = frame.contentDocument.createElement("div");
  frame.contentDocument.body.append(editor);
  const calls = [];
  pg.removal.watch(editor, () => calls.push("gone"));
  assert.equal(pg.removal.isGone(editor), false);
  frame.remove();
  await settled();
  assert.deepEqual(calls, ["gone"]);
});

test("the panel closes when its composer is removed, and no timer polls for it", async () => {
  const { document, pg, window, intervals } = page(["content/panel.js"]);
  const composer = document.getElementById("composer");
  pg.panel.showError({ composer, error: { message: "The service did not answer." }, onRetry() {}, onEdit() {} });
  assert.equal(pg.panel.isOpen(), true);
  document.getElementById("other").textContent = "the page goes on changing";
  await settled();
  assert.equal(pg.panel.isOpen(), true);
  document.getElementById("dialog").remove();
  await settled();
  assert.equal(pg.panel.isOpen(), false);
  assert.equal(document.getElementById("postguard-panel").shadowRoot.querySelector(".panel"), null);
  assert.deepEqual(intervals, []);
  window.close();
});
