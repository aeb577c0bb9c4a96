// The manifest, the packages built from it, and the managed-storage schema agree with the code.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { manifestFor } from "../scripts/build.mjs";
import { ROOT, fixture, load } from "./load.mjs";

const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));

test("the manifest loads the content scripts the worker registers for extra sites, in the same order", () => {
  const { pg } = load(fixture("generic.html"), "https://example.org/");
  assert.deepEqual(manifest.content_scripts[0].js, [...pg.contentScripts]);
  assert.equal(manifest.content_scripts[0].run_at, "document_start");
  assert.equal(manifest.content_scripts[0].all_frames, true);
});

test("Manifest V3; the network is reached only through the local service's host permissions", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.host_permissions, ["http://127.0.0.1/*", "http://localhost/*"]);
  assert.ok(manifest.optional_host_permissions.includes("https://*/*"));
  assert.ok(!JSON.stringify(manifest).includes("unsafe-eval"));
});

/** Does a match pattern (scheme://host/path, `*` wildcards; a host pattern matches every port) match the URL? */
function matchesPattern(pattern, address) {
  const [, scheme, host, path] = pattern.match(/^(https?|\*):\/\/([^/]*)(\/.*)$/);
  const url = new URL(address);
  const glob = (text) => new RegExp(`^${text.split("*").map((s) => s.replace(/[.?+^$()[\]{}|\\]/g, "\\$&")).join(".*")}$`);
  return (scheme === "*" ? /^https?:$/ : glob(`${scheme}:`)).test(url.protocol) &&
    (host === "*" || (host.startsWith("*.") ? url.hostname.endsWith(host.slice(1)) : url.hostname === host)) &&
    glob(path).test(url.pathname + url.search);
}

test("every WordPress admin, http or https, in any folder, is in the content scripts: no host permission or prompt", () => {
  const matches = manifest.content_scripts[0].matches;
  const covered = (address) => matches.some((p) => matchesPattern(p, address));
  for (const address of [
    "https://news.example.org/wp-admin/post-new.php", "https://www.example.ac.uk/news/blog/wp-admin/post.php?post=7&action=edit",
    "http://intranet.example.ac.uk/wp-admin/post-new.php", "http://intranet.example.ac.uk/servicedesk/wp-admin/post-new.php",
    "http://localhost:8080/news/wp-admin/post-new.php",
  ]) assert.ok(covered(address), address);
  for (const address of ["http://intranet.example.ac.uk/servicedesk/", "http://example.org/blog/2026/12/outage/"]) {
    assert.ok(!covered(address), address);
  }
  // Only the local service's hosts are host permissions: the WordPress patterns add none.
  assert.deepEqual(manifest.host_permissions, ["http://127.0.0.1/*", "http://localhost/*"]);
});

test("the Chromium package has a service worker; the Firefox one an event page and a gecko id", () => {
  const chromium = manifestFor("chromium", manifest);
  assert.equal(chromium.background.service_worker, "worker.js");
  assert.equal(chromium.browser_specific_settings, undefined);
  const firefox = manifestFor("firefox", manifest);
  assert.deepEqual(firefox.background.scripts.at(-1), "worker.js");
  assert.ok(firefox.background.scripts.includes("messages.js"));
  assert.match(firefox.browser_specific_settings.gecko.id, /@/);
  // What web-ext lint asks of a Firefox package now: the data it sends declared (the draft's text
  // goes to the organisation's service), and a Firefox that understands that declaration (140 ESR).
  assert.deepEqual(firefox.browser_specific_settings.gecko.data_collection_permissions.required, ["websiteContent"]);
  assert.ok(Number.parseFloat(firefox.browser_specific_settings.gecko.strict_min_version) >= 140);
  assert.throws(() => manifestFor("safari", manifest), /chromium or firefox/);
});

test("managed storage can preset every setting, and nothing else", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, manifest.storage.managed_schema), "utf8"));
  const { pg } = load(fixture("generic.html"), "https://example.org/");
  assert.deepEqual(Object.keys(schema.properties).sort(), [...pg.settings.KEYS].sort());
  assert.deepEqual(Object.keys(schema.properties.sites.properties).sort(), Object.keys(pg.settings.DEFAULTS.sites).sort());
});

test("messages are named by direction, and each name is unique", () => {
  const { pg } = load(fixture("generic.html"), "https://example.org/");
  const names = [];
  for (const [direction, group] of Object.entries(pg.messages)) {
    const [from, to] = direction.split("To");
    for (const name of Object.values(group)) {
      assert.ok(name.startsWith(`${from}->${to.toLowerCase()}:`), name);
      names.push(name);
    }
  }
  assert.equal(new Set(names).size, names.length);
});
