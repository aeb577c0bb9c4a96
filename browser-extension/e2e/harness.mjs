// The Firefox e2e harness: the real postguard service on 127.0.0.1, the built Firefox package in
// Debian's firefox-esr (headless, driven over WebDriver BiDi by puppeteer-core, which downloads no
// browser), and the fixture pages of tests/extension/pages served under the real site URLs.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { build } from "../scripts/build.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = join(ROOT, "..");
const PAGES = join(REPO, "tests", "extension", "pages");
export const ARTIFACTS = join(REPO, "test-artifacts");
export const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
export const API_KEY = "e2e-key-4f1c";
export const ADDON_ID = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")).browser_specific_settings.gecko.id;
// Firefox gives each profile a random moz-extension:// host; a fixed one lets tests open the options page.
export const UUID = "4b0c2a1e-7d35-4f0e-9a51-2f6c1d0e8b7a";

export const SITES = {
  x: ["https://x.com/compose/post", "x.html"],
  mastodon: ["https://mastodon.social/home", "mastodon.html"],
  bluesky: ["https://bsky.app/", "bluesky.html"],
  linkedin: ["https://www.linkedin.com/feed/", "linkedin.html"],
  wordpress: ["https://example.org/wp-admin/post-new.php", "wordpress.html"],
};
const PAGES_BY_PATH = { "/wp-admin/post.php": "wordpress-published.html" };

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function postguardBin() {
  const local = join(REPO, ".venv", "bin", "postguard");
  return process.env.POSTGUARD ?? (existsSync(local) ? local : "postguard");
}

/** `postguard serve` on a free loopback port, with an API key and the e2e policy. */
export async function startService() {
  const port = await freePort();
  const tmp = mkdtempSync(join(tmpdir(), "postguard-e2e-"));
  const log = openSync(join(tmp, "service.log"), "w");
  const proc = spawn(postguardBin(), ["serve", "--port", String(port), "--policy", join(REPO, "tests", "extension", "e2e-policy.yaml")], {
    // The decision log beside the service log, not in the user's data dir.
    cwd: tmp, env: { ...process.env, POSTGUARD_API_KEYS: API_KEY, POSTGUARD_DATA_DIR: join(tmp, "data") }, stdio: ["ignore", log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`postguard serve exited with ${proc.exitCode}: ${readFileSync(join(tmp, "service.log"), "utf8").slice(-3000)}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("postguard serve did not become ready");
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url, port,
    async check(text, platform) {
      const res = await fetch(`${url}/v1/check`, {
        method: "POST", body: JSON.stringify({ text, platform, offsets: "utf16" }),
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
      });
      return res.json();
    },
    stop: () => new Promise((resolve) => {
      proc.once("exit", resolve);
      proc.kill("SIGTERM");
    }),
  };
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/** Fixture pages and the editor libraries (from node_modules), with no network at all. */
function serveFixture(request) {
  const url = new URL(request.url());
  if (!url.protocol.startsWith("http") || url.hostname === "127.0.0.1") return request.continue();
  let path = null;
  if (url.pathname.startsWith("/__fixture__/node_modules/")) path = join(ROOT, url.pathname.slice("/__fixture__/".length));
  else if (url.pathname.startsWith("/__fixture__/")) path = join(PAGES, url.pathname.slice("/__fixture__/".length));
  else if (PAGES_BY_PATH[url.pathname]) path = join(PAGES, PAGES_BY_PATH[url.pathname]);
  // An organisation's WordPress wherever its admin lives (https://news.example.org/blog/wp-admin/).
  else if (url.pathname.endsWith("/wp-admin/post-new.php")) path = join(PAGES, SITES.wordpress[1]);
  else {
    const site = Object.values(SITES).find(([site]) => new URL(site).hostname === url.hostname);
    if (site) path = join(PAGES, site[1]);
  }
  if (!path || !existsSync(path)) return request.respond({ status: 404, contentType: "text/plain", body: "not found" });
  return request.respond({
    status: 200, contentType: `${TYPES[extname(path)] ?? "text/plain"}; charset=utf-8`, body: readFileSync(path),
  });
}

/** firefox-esr with the Firefox package installed as a temporary add-on. */
export async function launchFirefox() {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is not installed (apt-get install -y firefox-esr)`);
  const [{ dir }] = build(["firefox"]);
  const started = performance.now();
  const browser = await puppeteer.launch({
    browser: "firefox", executablePath: FIREFOX, headless: true,
    // Lets the test open the extension's own pages (moz-extension://) over BiDi.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: { "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }) },
    defaultViewport: { width: 1200, height: 800 },
  });
  const id = await browser.installExtension(dir);
  return { browser, id, launchMs: Math.round(performance.now() - started) };
}

/** A page on one of the fixture sites. */
export async function openSite(browser, url) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", serveFixture);
  await page.goto(url);
  return page;
}

/** An extension page (the options page), where the tests read and write the extension's storage. */
export async function openExtensionPage(browser, path = "options/options.html") {
  const page = await browser.newPage();
  const url = `moz-extension://${UUID}/${path}`;
  // The page moves to the extension's process, which BiDi reports as the old frame detaching; the
  // navigation's own promise then never settles, so the page is polled until it is there.
  page.goto(url).catch(() => {});
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const ready = await page.evaluate(() => location.href.startsWith("moz-extension:") && document.readyState === "complete" &&
      typeof globalThis.postguard?.settings === "object").catch(() => false);
    if (ready) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not open`);
}

export function writeArtifact(name, data) {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), `${JSON.stringify(data, null, 2)}\n`);
}

export function median(values) {
  const sorted = values.filter((v) => v != null).sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10 : null;
}
