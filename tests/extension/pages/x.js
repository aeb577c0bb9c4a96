// X's composer: Draft.js editors, one per post of a thread ("+" adds one); the Post button and
// Ctrl/Cmd+Enter post what Draft's states hold.
const { Editor, EditorState, getDefaultKeyBinding } = Draft;
const e = React.createElement;

function Composer() {
  const [states, setStates] = React.useState(() => [EditorState.createEmpty()]);
  const post = () => {
    window.__record(states.map((s) => s.getCurrentContent().getPlainText("\n")).join("\n\n"));
    setStates([EditorState.createEmpty()]);
  };
  const keyBindingFn = (ev) => (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) ? "post" : getDefaultKeyBinding(ev));
  const handleKeyCommand = (command) => (command === "post" ? (post(), "handled") : "not-handled");
  const boxes = states.map((state, i) => e("div", { key: i, className: "box" },
    e(Editor, {
      editorState: state, webDriverTestID: `tweetTextarea_${i}`, keyBindingFn, handleKeyCommand,
      onChange: (next) => setStates((all) => all.map((s, k) => (k === i ? next : s))),
      placeholder: i ? "Add another post" : "What is happening?!", ariaLabel: "Post text",
    })));
  return e("div", { role: "dialog", "aria-label": "Compose post", className: "dialog" },
    ...boxes,
    e("div", { style: { textAlign: "right" } },
      e("button", { "data-testid": "addButton", type: "button", onClick: () => setStates((all) => [...all, EditorState.createEmpty()]) }, "+"),
      " ",
      e("button", { "data-testid": "tweetButton", type: "button", onClick: post }, states.length > 1 ? "Post all" : "Post")));
}
ReactDOM.render(e(Composer), document.getElementById("root"));
