// What every fixture site does when its own submit handler posts: record the text it would send.
window.__posted = [];
window.__record = (text) => {
  window.__posted.push(text);
  const log = document.getElementById("posted-log");
  if (log) log.textContent = `Posted: ${text}`;
};
