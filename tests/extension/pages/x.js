// X's composer: a Draft.js editor; the Post button and Ctrl/Cmd+Enter post what Draft's state holds.
const { Editor, EditorState, getDefaultKeyBinding } = Draft;
const e = React.createElement;

function Composer() {
  const [state, setState] = React.useState(() => EditorState.createEmpty());
  const post = () => {
    window.__record(state.getCurrentContent().getPlainText("\n"));
    setState(EditorState.createEmpty());
  };
  const keyBindingFn = (ev) => (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) ? "post" : getDefaultKeyBinding(ev));
  const handleKeyCommand = (command) => (command === "post" ? (post(), "handled") : "not-handled");
  return e("div", { role: "dialog", "aria-label": "Compose post", className: "dialog" },
    e(Editor, {
      editorState: state, onChange: setState, webDriverTestID: "tweetTextarea_0", keyBindingFn,
      handleKeyCommand, placeholder: "What is happening?!", ariaLabel: "Post text",
    }),
    e("div", { style: { textAlign: "right" } },
      e("button", { "data-testid": "tweetButton", type: "button", onClick: post }, "Post")));
}
ReactDOM.render(e(Composer), document.getElementById("root"));
