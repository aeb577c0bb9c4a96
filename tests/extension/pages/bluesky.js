// Bluesky's composer: a ProseMirror editor; Post and Mod-Enter publish the editor state's text.
import { baseKeymap } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import { schema } from "prosemirror-schema-basic";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";

const plugins = [keymap({ "Mod-Enter": () => (publish(), true) }), keymap(baseKeymap)];
const fresh = () => EditorState.create({ schema, plugins });
const view = new EditorView(document.getElementById("editor"), {
  state: fresh(),
  attributes: { class: "tiptap", role: "textbox", "aria-label": "Rich-Text Editor" },
});

function publish() {
  const { doc } = view.state;
  window.__record(doc.textBetween(0, doc.content.size, "\n"));
  view.updateState(fresh());
}
document.querySelector('[data-testid="composerPublishBtn"]').addEventListener("click", publish);
window.__ready = true;
