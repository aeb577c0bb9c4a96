// Tells when an element leaves the page (a single-page app unmounting its composer, a dialog
// closed), from the DOM's own mutation records rather than a timer: nothing runs while the page is
// still, and the answer comes in the same task as the removal.
(function (root) {
  const pg = (root.postguard ??= {});

  /** The element and the frame elements that hold its document, up to the top window. */
  function chain(el) {
    const nodes = [el];
    for (let win = el.ownerDocument?.defaultView; win?.frameElement; win = win.parent) nodes.push(win.frameElement);
    return nodes;
  }

  /** Is the element, or a frame holding it, out of its document? */
  function isGone(el) {
    return chain(el).some((n) => !n.isConnected);
  }

  /**
   * Call onRemoved once when `el` (or a frame holding it) leaves its document; returns stop().
   * Each document on the way is observed for added and removed children only (no attributes or
   * text), and each batch of records costs a few isConnected reads.
   */
  function watch(el, onRemoved) {
    const nodes = chain(el);
    let observers = [];
    const stop = () => {
      for (const o of observers) o.disconnect();
      observers = [];
    };
    const check = () => {
      if (!observers.length || !nodes.some((n) => !n.isConnected)) return;
      stop();
      onRemoved();
    };
    observers = [...new Set(nodes.map((n) => n.ownerDocument))].map((doc) => {
      const observer = new root.MutationObserver(check);
      observer.observe(doc, { childList: true, subtree: true });
      return observer;
    });
    if (isGone(el)) {
      stop();
      queueMicrotask(onRemoved);
    }
    return stop;
  }

  pg.removal = Object.freeze({ watch, isGone });
})(globalThis);
