// bsky.app's composer (see bluesky.html for the source it follows): a ProseMirror editor; Post and
// Mod-Enter publish the editor state's text, then the composer closes. Post is enabled only while
// the draft has text within the 300-grapheme limit.
import { baseKeymap } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import { schema } from "prosemirror-schema-basic";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";

const MAX_GRAPHEMES = 300;
const layer = document.getElementById("composer-layer");
const button = layer.querySelector('[data-testid="composerPublishBtn"]');
const graphemes = (text) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)].length;
const textOf = (state) => state.doc.textBetween(0, state.doc.content.size, "\n");
const canPost = (state) => textOf(state).trim().length > 0 && graphemes(textOf(state)) <= MAX_GRAPHEMES;

function render(state) {
  const disabled = !canPost(state);
  button.disabled = disabled;
  button.setAttribute("aria-disabled", String(disabled));
  layer.querySelector('[data-testid="charProgress"]').textContent = String(MAX_GRAPHEMES - graphemes(textOf(state)));
}

const plugins = [keymap({ "Mod-Enter": () => (publish(), true) }), keymap(baseKeymap)];
const view = new EditorView(document.getElementById("editor"), {
  state: EditorState.create({ schema, plugins }),
  attributes: { class: "tiptap ProseMirror-light", role: "textbox", translate: "no" },
  dispatchTransaction(tr) {
    view.updateState(view.state.apply(tr));
    render(view.state);
  },
});
render(view.state);

function close() {
  view.destroy();
  layer.remove();
}

function publish() {
  if (!canPost(view.state) || !layer.isConnected) return;
  window.__record(textOf(view.state));
  // Publishing: the button gives way to a spinner; the composer closes when the post is out.
  button.replaceWith(Object.assign(document.createElement("div"), { role: "progressbar", textContent: "Publishing post…" }));
  setTimeout(close, 50);
}
button.addEventListener("click", publish);

layer.querySelector('[data-action="cancel"]').addEventListener("click", () => {
  if (!textOf(view.state).trim()) return close();
  // "Discard draft?" with its own confirm button, as the app's Prompt.Basic.
  const prompt = document.createElement("div");
  prompt.setAttribute("role", "dialog");
  prompt.setAttribute("aria-label", "Discard draft?");
  prompt.innerHTML = '<p>Are you sure you\'d like to discard this draft?</p>' +
    '<button type="button" data-testid="confirmBtn" aria-label="Discard" role="button">Discard</button>';
  prompt.querySelector("button").addEventListener("click", () => (prompt.remove(), close()));
  document.body.append(prompt);
});
window.__ready = true;
