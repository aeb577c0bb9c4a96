// bsky.app's composer (see bluesky.html for the source it follows): a ProseMirror editor per post
// of a thread ("Add new post" adds one once the last has text); Post and Mod-Enter publish the
// editor states' texts, then the composer closes. Post is enabled only while every post has text
// within the 300-grapheme limit.
import { baseKeymap } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import { schema } from "prosemirror-schema-basic";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";

const MAX_GRAPHEMES = 300;
const layer = document.getElementById("composer-layer");
const button = layer.querySelector('[data-testid="composerPublishBtn"]');
const addButton = layer.querySelector('[aria-label="Add new post"]');
const posts = []; // one EditorView per post of the thread
let active = null;

const graphemes = (text) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)].length;
const textOf = (view) => view.state.doc.textBetween(0, view.state.doc.content.size, "\n");
const canPost = () => posts.every((v) => textOf(v).trim().length > 0 && graphemes(textOf(v)) <= MAX_GRAPHEMES);

function render() {
  const disabled = !canPost();
  button.disabled = disabled;
  button.setAttribute("aria-disabled", String(disabled));
  button.firstElementChild.textContent = posts.length > 1 ? "Post All" : "Post";
  button.setAttribute("aria-label", posts.length > 1 ? "Publish posts" : "Publish post");
  addButton.hidden = !textOf(posts.at(-1)).trim();
  layer.querySelector('[data-testid="charProgress"]').textContent = String(MAX_GRAPHEMES - graphemes(textOf(active)));
}

function addPost() {
  const post = document.createElement("div");
  post.className = "css-175oi2r post";
  post.innerHTML = '<div class="css-175oi2r avatar" data-testid="userAvatarImage"></div><div class="css-175oi2r"></div>';
  document.getElementById("posts").append(post);
  const view = new EditorView(post.lastElementChild, {
    state: EditorState.create({ schema, plugins: [keymap({ "Mod-Enter": () => (publish(), true) }), keymap(baseKeymap)] }),
    attributes: { class: "tiptap ProseMirror-light", role: "textbox", translate: "no" },
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      render();
    },
    handleDOMEvents: { focus: () => ((active = view), render(), false) },
  });
  posts.push(view);
  active = view;
  render();
  return view;
}

function close() {
  for (const view of posts) view.destroy();
  layer.remove();
}

function publish() {
  if (!canPost() || !layer.isConnected) return;
  window.__record(posts.map(textOf).join("\n\n"));
  // Publishing: the button gives way to a spinner; the composer closes when the post is out.
  button.replaceWith(Object.assign(document.createElement("div"), { role: "progressbar", textContent: "Publishing post…" }));
  setTimeout(close, 50);
}

addPost();
button.addEventListener("click", publish);
addButton.addEventListener("click", () => addPost().focus());
layer.querySelector('[data-action="cancel"]').addEventListener("click", () => {
  if (posts.every((v) => !textOf(v).trim())) return close();
  // "Save draft" or "Discard", as the app's prompt: either way the composer closes unposted.
  const prompt = document.createElement("div");
  prompt.setAttribute("role", "dialog");
  prompt.setAttribute("aria-label", "Discard draft?");
  prompt.innerHTML = '<p>Are you sure you\'d like to discard this draft?</p>' +
    '<button type="button" aria-label="Save draft" role="button">Save draft</button>' +
    '<button type="button" data-testid="confirmBtn" aria-label="Discard" role="button">Discard</button>';
  for (const choice of prompt.querySelectorAll("button")) choice.addEventListener("click", () => (prompt.remove(), close()));
  document.body.append(prompt);
});
window.__ready = true;
