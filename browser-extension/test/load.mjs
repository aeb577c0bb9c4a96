// Load a saved page into jsdom and run the content scripts in it, as the browser would.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { JSDOM } from "jsdom";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const SCRIPTS = [
  "messages.js", "settings.js", "content/scripts.js", "content/text.js", "content/removal.js", "adapters/adapter.js",
  "adapters/x.js",
  "adapters/mastodon.js", "adapters/bluesky.js", "adapters/linkedin.js", "adapters/wordpress.js",
  "adapters/generic.js",
];

export function fixture(name) {
  return readFileSync(join(ROOT, "test", "fixtures", name), "utf8");
}

/** {window, document, pg} with `html` loaded at `url`; `before(window)` runs first, `also` loads more scripts. */
export function load(html, url, { before = () => {}, also = [] } = {}) {
  const dom = new JSDOM(html, { url, runScripts: "outside-only", pretendToBeVisual: true });
  before(dom.window);
  for (const file of [...SCRIPTS, ...also]) dom.window.eval(readFileSync(join(ROOT, file), "utf8"));
  return { window: dom.window, document: dom.window.document, pg: dom.window.postguard };
}

export const SETTINGS = {
  sites: { x: true, mastodon: true, bluesky: true, linkedin: true, wordpress: true, generic: true },
  extraSites: [],
};
