// Mastodon's compose form (see mastodon.html for the source it follows): a React-controlled
// textarea; the form's submit and Ctrl/Cmd+Enter post what React's state holds.
const e = React.createElement;
const MAX_CHARS = 500;

function ComposeForm() {
  const [text, setText] = React.useState("");
  const textarea = React.useRef(null);
  const canSubmit = () => [...text].length <= MAX_CHARS;
  const submit = (ev) => {
    ev?.preventDefault();
    // As Mastodon does: text changed under React (by an extension) is taken from the textarea.
    const value = textarea.current.value;
    if ([...value].length > MAX_CHARS) return;
    window.__record(value);
    setText("");
  };
  const onKeyDown = (ev) => {
    if (ev.key.toLowerCase() === "enter" && (ev.ctrlKey || ev.metaKey)) {
      submit();
      ev.preventDefault();
    }
  };
  const iconButton = (label) => e("button", { type: "button", className: "icon-button", title: label, "aria-label": label }, "·");
  return e("form", { className: "compose-form", onSubmit: submit },
    e("div", { className: "compose-form__highlightable" },
      e("div", { className: "compose-form__dropdowns" },
        e("button", { type: "button", className: "dropdown-button", title: "Change post privacy" }, "Public"),
        e("button", { type: "button", className: "dropdown-button", title: "Change language" }, "EN")),
      e("div", { className: "autosuggest-textarea compose-form__input" },
        e("textarea", {
          ref: textarea, className: "autosuggest-textarea__textarea", value: text, dir: "auto",
          placeholder: "What's on your mind?", "aria-label": "What's on your mind?", "aria-autocomplete": "list",
          onChange: (ev) => setText(ev.target.value), onKeyDown,
        })),
      e("div", { className: "compose-form__footer" },
        e("div", { className: "compose-form__actions" },
          e("div", { className: "compose-form__buttons" },
            iconButton("Add images, a video or an audio file"), iconButton("Add a poll"),
            iconButton("Add content warning"), iconButton("Insert emoji"),
            e("span", { className: "character-counter" }, String(MAX_CHARS - [...text].length))),
          e("div", { className: "compose-form__submit" },
            e("button", { type: "submit", className: "button button--compact", disabled: !canSubmit() }, "Post"))))));
}
ReactDOM.render(e(ComposeForm), document.getElementById("mastodon"));
