// What every fixture site does when its own submit handler posts: record the text it would send,
// and how long after the author pressed the button it went (the delay a check adds, if any).
window.__posted = [];
window.__delays = [];
addEventListener("pointerdown", () => (window.__pressedAt = performance.now()), true);
window.__record = (text) => {
  window.__posted.push(text);
  window.__delays.push(window.__pressedAt == null ? null : performance.now() - window.__pressedAt);
  const log = document.getElementById("posted-log");
  if (log) log.textContent = `Posted: ${text}`;
};
