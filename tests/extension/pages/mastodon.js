// Mastodon's compose form: a React-controlled textarea; submit and Ctrl/Cmd+Enter post React's state.
const e = React.createElement;

function ComposeForm() {
  const [text, setText] = React.useState("");
  const submit = (ev) => {
    ev.preventDefault();
    window.__record(text);
    setText("");
  };
  const onKeyDown = (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) submit(ev);
  };
  return e("form", { className: "compose-form", onSubmit: submit },
    e("div", { className: "autosuggest-textarea" },
      e("textarea", {
        className: "autosuggest-textarea__textarea", value: text, placeholder: "What's on your mind?",
        "aria-label": "What's on your mind?", onChange: (ev) => setText(ev.target.value), onKeyDown,
      })),
    e("div", { className: "compose-form__publish" },
      e("div", { className: "compose-form__publish-button-wrapper" }, e("button", { type: "submit", className: "button" }, "Post"))));
}
ReactDOM.render(e(ComposeForm), document.getElementById("mastodon"));
