// Mastodon's compose form (see mastodon.html for the source it follows): a React-controlled
// textarea; the form's submit and Ctrl/Cmd+Enter post what React's state holds.
const e = React.createElement;
const MAX_CHARS = 500;

function ComposeForm() {
  const [text, setText] = React.useState("");
  const [spoiler, setSpoiler] = React.useState(false); // the content warning field is shown
  const [spoilerText, setSpoilerText] = React.useState("");
  const textarea = React.useRef(null);
  const counted = () => [...((spoiler ? spoilerText : "") + text)].length;
  const canSubmit = () => counted() <= MAX_CHARS;
  const submit = (ev) => {
    ev?.preventDefault();
    // As Mastodon does: text changed under React (by an extension) is taken from the textarea.
    const value = textarea.current.value;
    if (!canSubmit()) return;
    // The status and its content warning go out together; recorded as warning, blank line, text.
    window.__record(spoiler && spoilerText ? `${spoilerText}\n\n${value}` : value);
    setText("");
    setSpoilerText("");
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
      spoiler && e("div", { className: "spoiler-input" },
        e("div", { className: "spoiler-input__border" }),
        e("input", {
          type: "text", id: "cw-spoiler-input", className: "spoiler-input__input", value: spoilerText, dir: "auto",
          placeholder: "Content warning (optional)", "aria-label": "Content warning (optional)", spellCheck: true,
          onChange: (ev) => setSpoilerText(ev.target.value), onKeyDown,
        }),
        e("div", { className: "spoiler-input__border" })),
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
            e("button", {
              type: "button", className: `icon-button${spoiler ? " active" : ""}`, title: "Add content warning",
              "aria-label": "Add content warning", "aria-pressed": String(spoiler), onClick: () => setSpoiler(!spoiler),
            }, "CW"),
            iconButton("Insert emoji"),
            e("span", { className: "character-counter" }, String(MAX_CHARS - counted()))),
          e("div", { className: "compose-form__submit" },
            e("button", { type: "submit", className: "button button--compact", disabled: !canSubmit() }, "Post"))))));
}
ReactDOM.render(e(ComposeForm), document.getElementById("mastodon"));
