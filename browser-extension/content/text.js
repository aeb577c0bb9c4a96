// The text of an editor as postguard checks it, and the way back from offsets to the editor's DOM.
//
// Offsets are UTF-16 code units (JavaScript string indices), which the service returns when asked
// with `offsets: "utf16"`. Text is read from the DOM by one walk that also records where each
// character came from, so a finding's span maps back to a DOM Range exactly (emoji included).
(function (root) {
  const pg = (root.postguard ??= {});

  const BLOCK_TAGS = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGCAPTION", "FIGURE",
    "FOOTER", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P",
    "PRE", "SECTION", "TABLE", "TR", "UL",
  ]);
  // Draft.js pads empty blocks with U+200B; a BOM can survive pastes. Neither is part of the post.
  const INVISIBLE = /[\u200b\ufeff]/;

  function isTextField(el) {
    return el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|search|)$/i.test(el.type));
  }

  function isBlock(el) {
    return BLOCK_TAGS.has(el.tagName);
  }

  function hasContentAfter(node, block) {
    for (let n = node; n && n !== block; n = n.parentNode) {
      for (let s = n.nextSibling; s; s = s.nextSibling) {
        if (s.nodeType === 3 ? s.data.replace(INVISIBLE, "") !== "" : s.nodeType === 1) return true;
      }
    }
    return false;
  }

  /**
   * Read one editable root: {text, pieces}. Each piece is {node, start, end, index} where `index`
   * maps a text offset (relative to `start`) to an offset in `node.data` when invisible characters
   * were dropped; synthetic line breaks have no piece.
   */
  function readEditable(el) {
    if (isTextField(el)) {
      return { text: el.value, pieces: [{ node: el, start: 0, end: el.value.length, index: null }], field: el };
    }
    let text = "";
    const pieces = [];
    const blocks = []; // [{el, start}] open block elements

    function newline() {
      text += "\n";
    }
    function walk(node) {
      if (node.nodeType === 3) {
        const data = node.data;
        // Source formatting between blocks, not text (typed line breaks are blocks or <br>).
        if (data.includes("\n") && !data.trim() && !isTextField(node.parentNode)) return;
        if (!INVISIBLE.test(data)) {
          pieces.push({ node, start: text.length, end: text.length + data.length, index: null });
          text += data;
          return;
        }
        let kept = "";
        const index = [];
        for (let i = 0; i < data.length; i++) {
          if (!INVISIBLE.test(data[i])) {
            index.push(i);
            kept += data[i];
          }
        }
        pieces.push({ node, start: text.length, end: text.length + kept.length, index });
        text += kept;
        return;
      }
      if (node.nodeType !== 1) return;
      const tag = node.tagName;
      if (tag === "SCRIPT" || tag === "STYLE" || tag === "TEMPLATE") return;
      if (node.getAttribute && node.getAttribute("contenteditable") === "false" && node !== el) return;
      if (tag === "BR") {
        const block = blocks.length ? blocks[blocks.length - 1] : { el, start: 0 };
        // A trailing <br> closes a line that already has text (as innerText treats it).
        if (!(text.length > block.start && !hasContentAfter(node, block.el))) newline();
        return;
      }
      if (tag === "IMG") {
        const alt = node.getAttribute("alt") || "";
        if (alt && !node.classList.contains("ProseMirror-separator")) text += alt;
        return;
      }
      const block = node !== el && isBlock(node);
      if (block && text.length && !text.endsWith("\n")) newline();
      if (block) blocks.push({ el: node, start: text.length });
      for (let c = node.firstChild; c; c = c.nextSibling) walk(c);
      if (block) {
        blocks.pop();
        if (text.length && !text.endsWith("\n")) newline();
      }
    }
    walk(el);
    // Block ends add a line break; the last one is not part of the text.
    while (text.endsWith("\n") && !(pieces.length && pieces[pieces.length - 1].end === text.length)) {
      text = text.slice(0, -1);
    }
    return { text, pieces, field: null };
  }

  /**
   * A composer's text: its editable roots joined by `separator`. Returns {text, parts} where each
   * part is {el, start, end, model}.
   */
  function readComposer(editables, separator = "\n\n") {
    let text = "";
    const parts = [];
    editables.forEach((el, i) => {
      if (i) text += separator;
      const model = readEditable(el);
      parts.push({ el, start: text.length, end: text.length + model.text.length, model });
      text += model.text;
    });
    return { text, parts };
  }

  /** DOM position {node, offset} for a text offset inside one editable's model. */
  function position(model, offset, preferAfter) {
    const { pieces } = model;
    if (!pieces.length) return null;
    let chosen = null;
    for (const p of pieces) {
      if (offset < p.start) break;
      if (offset <= p.end) {
        chosen = p;
        if (!(preferAfter && offset === p.end)) break;
      }
    }
    if (!chosen) {
      // Offset on a synthetic line break: the start of the next piece, or the end of the last.
      chosen = pieces.find((p) => p.start >= offset) ?? pieces[pieces.length - 1];
      offset = chosen.start >= offset ? chosen.start : chosen.end;
    }
    const local = offset - chosen.start;
    if (!chosen.index) return { node: chosen.node, offset: local };
    // Invisible characters dropped from the text: a start goes before the next kept character,
    // an end right after the previous one.
    const { index } = chosen;
    if (preferAfter && local < index.length) return { node: chosen.node, offset: index[local] };
    return { node: chosen.node, offset: local > 0 ? index[local - 1] + 1 : 0 };
  }

  function partAt(composerText, start, end) {
    return composerText.parts.find((p) => start >= p.start && end <= p.end) ?? null;
  }

  /** A DOM Range over [start, end) of a composer's text (null for a text field or across roots). */
  function rangeFor(composerText, start, end) {
    const part = partAt(composerText, start, end);
    if (!part || part.model.field) return null;
    const a = position(part.model, start - part.start, true);
    const b = position(part.model, end - part.start, false);
    if (!a || !b) return null;
    const range = part.el.ownerDocument.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  /**
   * Replace [start, end) with `replacement` through the editor's own input path: select the range,
   * then execCommand('insertText'), so Draft.js, ProseMirror and React see an ordinary edit.
   */
  function replaceRange(composerText, start, end, replacement) {
    const part = partAt(composerText, start, end);
    if (!part) return false;
    const doc = part.el.ownerDocument;
    const win = doc.defaultView;
    if (part.model.field) {
      const field = part.model.field;
      field.focus();
      field.setSelectionRange(start - part.start, end - part.start);
    } else {
      const range = rangeFor(composerText, start, end);
      if (!range) return false;
      part.el.focus();
      const sel = win.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
    const ok = replacement === ""
      ? doc.execCommand("delete", false)
      : doc.execCommand("insertText", false, replacement);
    return ok !== false;
  }

  /** Rectangles (viewport coordinates) covering [start, end) in a composer. */
  function rectsFor(composerText, start, end) {
    const part = partAt(composerText, start, end);
    if (!part) return [];
    if (part.model.field) return fieldRects(part.model.field, start - part.start, end - part.start);
    const range = rangeFor(composerText, start, end);
    return range ? Array.from(range.getClientRects()).filter((r) => r.width > 0 || r.height > 0) : [];
  }

  // A textarea has no Ranges inside it: lay the same text out in a mirror element styled like the
  // field and measure the span there.
  const MIRRORED = [
    "boxSizing", "width", "height", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
    "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderStyle",
    "fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing", "lineHeight",
    "textTransform", "wordSpacing", "textIndent", "tabSize", "whiteSpace", "wordBreak", "overflowWrap",
  ];
  function fieldRects(field, start, end) {
    const doc = field.ownerDocument;
    const style = doc.defaultView.getComputedStyle(field);
    const box = field.getBoundingClientRect();
    const mirror = doc.createElement("div");
    for (const k of MIRRORED) mirror.style[k] = style[k];
    Object.assign(mirror.style, {
      position: "fixed", left: `${box.left}px`, top: `${box.top}px`, visibility: "hidden",
      overflow: "hidden", whiteSpace: field.tagName === "TEXTAREA" ? "pre-wrap" : "pre",
      pointerEvents: "none",
    });
    const text = field.value;
    mirror.append(doc.createTextNode(text.slice(0, start)));
    const mark = doc.createElement("span");
    mark.textContent = text.slice(start, end) || "\u200b";
    mirror.append(mark, doc.createTextNode(text.slice(end)));
    (doc.body ?? doc.documentElement).append(mirror);
    mirror.scrollTop = field.scrollTop;
    const rects = Array.from(mark.getClientRects()).map((r) => ({
      left: r.left, top: r.top - field.scrollTop, width: r.width, height: r.height,
      right: r.right, bottom: r.bottom - field.scrollTop,
    }));
    mirror.remove();
    return rects.filter((r) => r.bottom >= box.top && r.top <= box.bottom);
  }

  /** UTF-16 offset of code point offset `cp` in `text` (for a service that counts code points). */
  function utf16FromCodePoints(text, cp) {
    let i = 0;
    for (let n = 0; n < cp && i < text.length; n++) {
      const c = text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    }
    return i;
  }

  /**
   * A finding's span as UTF-16 offsets into `text`. The service is asked for UTF-16 offsets; a
   * service that answers in code points anyway is recognised by its excerpt and converted.
   */
  function alignFinding(text, finding) {
    const { start, end, excerpt } = finding;
    if (excerpt == null || text.slice(start, end) === excerpt) return { start, end };
    const s = utf16FromCodePoints(text, start);
    const e = utf16FromCodePoints(text, end);
    if (text.slice(s, e) === excerpt) return { start: s, end: e };
    return { start, end };
  }

  pg.text = Object.freeze({
    readEditable, readComposer, rangeFor, replaceRange, rectsFor, utf16FromCodePoints, alignFinding,
    isTextField,
  });
})(globalThis);
