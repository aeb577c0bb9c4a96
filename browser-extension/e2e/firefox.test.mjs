// The extension in real Firefox (Debian's firefox-esr) against the real postguard service: the same
// scenarios as the Chromium suite (tests/extension/), on the same fixture pages, which run each site's
// real editor library and post what that editor's own state holds.
import assert from "node:assert/strict";
import { createServer, connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { API_KEY, freePort, launchFirefox, median, openExtensionPage, openSite, SITES, startService, writeArtifact } from "./harness.mjs";

const EDITOR = {
  x: '[data-testid="tweetTextarea_0"]',
  mastodon: ".compose-form textarea",
  bluesky: ".ProseMirror",
  linkedin: ".ql-editor",
  wordpress: ".wp-block-paragraph",
};
const SUBMIT = {
  x: '[data-testid="tweetButton"]',
  mastodon: '.compose-form button[type="submit"]',
  bluesky: '[data-testid="composerPublishBtn"]',
  linkedin: ".share-actions__primary-action",
  wordpress: ".editor-post-publish-panel__toggle",
};
const PLATFORM = { x: "x", mastodon: "mastodon", bluesky: "bluesky", linkedin: "linkedin", wordpress: "blog" };
const PRE_PUBLISH = ".editor-post-publish-panel__header-publish-button button";
// Waits on these pass `visible`, which polls: the default waits on a document MutationObserver, which
// never sees a change inside the panel's shadow root (a wait for the re-checked panel timed out).
const PANEL = "#postguard-panel >>> .panel";
const NOTICE = "#postguard-notice >>> .notice";
const MARKS = "#postguard-highlights >>> .mark";

const CLEAN = "Our spring newsletter is out today, with the new opening hours.";
const EMAIL = "jane.doe@example.com";
const RISKY = `Launch day 🚀🎉 write to ${EMAIL} for tickets`;
const FIXED = RISKY.replace(EMAIL, "[email removed]");
const WP_TITLE = "Spring open day";

const expectedPost = (site, text) => (site === "wordpress" ? `${WP_TITLE}\n\n${text}` : text);

let browser;
let service;
let control; // the options page: reads and writes the extension's storage
const latencies = [];

async function configure(settings) {
  await control.evaluate(async (s) => {
    await globalThis.browser.storage.local.clear();
    await globalThis.browser.storage.session.clear();
    await globalThis.browser.storage.local.set(s);
  }, { serviceUrl: service.url, apiKey: API_KEY, ...settings });
}

const lastCheck = () => control.evaluate(async () => (await globalThis.browser.storage.session.get("lastCheck")).lastCheck ?? null);
const posted = (page) => page.evaluate(() => window.__posted);
const waitPosted = (page, n = 1) => page.waitForFunction((k) => window.__posted.length === k, {}, n);


async function openComposer(site) {
  const page = await openSite(browser, SITES[site][0]);
  await page.waitForSelector(EDITOR[site], { visible: true });
  if (site === "bluesky") await page.waitForFunction(() => window.__ready === true);
  return page;
}

async function write(page, site, text) {
  if (site === "wordpress") {
    await page.click(".editor-post-title__input");
    await page.keyboard.type(WP_TITLE);
  }
  await page.click(EDITOR[site]);
  // Keystrokes, not one insertText: Draft.js in Firefox throws away its tree on an insertText into an empty editor.
  await page.keyboard.type(text);
}

async function held(page) {
  await page.waitForSelector(PANEL, { visible: true });
  assert.deepEqual(await posted(page), []);
}

const panelText = (page) => page.$eval(PANEL, (el) => el.innerText);
const editorHasFocus = (page, site) =>
  page.$eval(EDITOR[site], (el) => el === document.activeElement || el.contains(document.activeElement));

/** A TCP proxy that holds every chunk for `delay` ms: each request is slow, kept-alive or not. */
function slowProxy(port, delay) {
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    client.on("data", (d) => setTimeout(() => upstream.write(d), delay));
    upstream.on("data", (d) => client.write(d));
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      a.on("error", () => b.destroy());
      a.on("close", () => setTimeout(() => b.destroy(), delay));
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () =>
    resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

describe("the extension in Firefox", { concurrency: false }, () => {
  before(async () => {
    [service, { browser }] = await Promise.all([startService(), launchFirefox()]);
    control = await openExtensionPage(browser);
    // Start-up is over once managed storage answers: latency is measured as an author who opened
    // the browser earlier sees it.
    await control.evaluate(() => globalThis.browser.storage.managed.get(null).catch(() => null));
  });

  after(async () => {
    const checked = latencies.filter((c) => c.case.startsWith("clean:") && !c.case.includes("wordpress")).map((c) => c.press_to_post_ms);
    const baseline = latencies.filter((c) => c.case.startsWith("baseline:") && !c.case.includes("wordpress")).map((c) => c.press_to_post_ms);
    const checks = latencies.map((c) => c.check_ms).filter((v) => v != null);
    const summary = {
      browser: await browser?.version(),
      check_ms_median: median(checks),
      check_ms_max: checks.length ? Math.max(...checks) : null,
      press_to_post_ms_median_checked: median(checked),
      press_to_post_ms_median_without_extension: median(baseline),
      cases: latencies,
    };
    if (latencies.length) {
      writeArtifact("latency-firefox.json", summary);
      console.log(`firefox extension latency: ${JSON.stringify({ ...summary, cases: undefined })}`);
    }
    await browser?.close();
    await service?.stop();
  });

  test("the service judges the test texts as expected", async () => {
    for (const [site, platform] of Object.entries(PLATFORM)) {
      assert.equal((await service.check(expectedPost(site, CLEAN), platform)).verdict, "pass", site);
      const risky = await service.check(expectedPost(site, RISKY), platform);
      assert.equal(risky.verdict, "warn", site);
      assert.ok(risky.findings.some((f) => f.rule_id === "pii.email_address"), site);
    }
    assert.equal((await service.check(FIXED, "x")).verdict, "pass");
  });

  for (const site of Object.keys(SITES)) {
    test(`${site}: a clean post goes through, checked`, async () => {
      await configure({});
      const page = await openComposer(site);
      await write(page, site, CLEAN);
      await page.click(SUBMIT[site]);
      if (site === "wordpress") await (await page.waitForSelector(PRE_PUBLISH, { visible: true })).click();
      await waitPosted(page);
      assert.deepEqual(await posted(page), [expectedPost(site, CLEAN)]);
      assert.equal(await page.$(PANEL), null);
      assert.equal(await page.$(NOTICE), null);
      const check = await lastCheck();
      assert.ok(check?.latencyMs != null, "it was checked, not waved through");
      const delay = await page.evaluate(() => window.__delays[0]);
      latencies.push({ case: `clean:${site}`, check_ms: check.latencyMs, press_to_post_ms: Math.round(delay * 10) / 10 });
      assert.ok(delay < 500, `press to post took ${delay} ms`);
      await page.close();
    });

    test(`${site}: switched off, it is left alone (the delay's baseline)`, async () => {
      await configure({ sites: { [site]: false } });
      const page = await openComposer(site);
      await write(page, site, CLEAN);
      await page.click(SUBMIT[site]);
      if (site === "wordpress") await (await page.waitForSelector(PRE_PUBLISH, { visible: true })).click();
      await waitPosted(page);
      assert.equal(await lastCheck(), null);
      const delay = await page.evaluate(() => window.__delays[0]);
      latencies.push({ case: `baseline:${site}`, check_ms: null, press_to_post_ms: Math.round(delay * 10) / 10 });
      await page.close();
    });
  }

  test("x: a risky post is held; the panel takes focus, names the finding and highlights it", async () => {
    await configure({});
    const page = await openComposer("x");
    await write(page, "x", RISKY);
    await page.click(SUBMIT.x);
    await held(page);
    assert.match(await panelText(page), /email/i);
    assert.ok((await panelText(page)).includes(EMAIL));
    const panel = await page.$eval("#postguard-panel", (host) => {
      const p = host.shadowRoot.querySelector(".panel");
      return { role: p.getAttribute("role"), labelled: p.getAttribute("aria-labelledby"), focused: host.shadowRoot.activeElement?.id };
    });
    assert.deepEqual(panel, { role: "dialog", labelled: "pg-title", focused: "pg-title" });
    await page.waitForSelector(`${MARKS}[data-finding*="pii.email_address"]`, { visible: true });
    assert.ok((await page.$eval(EDITOR.x, (el) => el.innerText)).includes(RISKY), "the draft is untouched");
    const check = await lastCheck();
    latencies.push({ case: "held:x", check_ms: check.latencyMs, press_to_post_ms: null });
    await page.close();
  });

  test("x: Post anyway needs a reason, then posts, and records no text", async () => {
    await configure({});
    const page = await openComposer("x");
    await write(page, "x", RISKY);
    await page.click(SUBMIT.x);
    await held(page);
    const button = `${PANEL} [data-action=post-anyway]`;
    assert.equal(await page.$eval(button, (b) => b.disabled), true);
    await page.$eval(`${PANEL} select`, (s) => {
      s.selectedIndex = 1;
      s.dispatchEvent(new Event("change"));
    });
    assert.equal(await page.$eval(button, (b) => b.disabled), false);
    await page.click(button);
    await waitPosted(page);
    assert.deepEqual(await posted(page), [RISKY]);
    const overrides = await control.evaluate(async () => (await globalThis.browser.storage.local.get("overrides")).overrides);
    assert.ok(overrides.at(-1).ruleIds.includes("pii.email_address"));
    assert.ok(overrides.at(-1).reason);
    assert.ok(!JSON.stringify(overrides).includes(EMAIL));
    await page.close();
  });

  test("x: Ctrl+Enter is held too; on clean text it posts once", async () => {
    await configure({});
    const page = await openComposer("x");
    await write(page, "x", RISKY);
    await page.keyboard.down("Control");
    await page.keyboard.press("Enter");
    await page.keyboard.up("Control");
    await held(page);
    await page.click(`${PANEL} [data-action=edit]`);
    assert.ok(await editorHasFocus(page, "x"));
    await page.keyboard.down("Control");
    await page.keyboard.press("a");
    await page.keyboard.up("Control");
    await page.keyboard.press("Backspace");
    await page.keyboard.type(CLEAN);
    await page.keyboard.down("Control");
    await page.keyboard.press("Enter");
    await page.keyboard.up("Control");
    await waitPosted(page);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await posted(page), [CLEAN]);
    await page.close();
  });

  test("x: Esc closes the panel and the draft has the focus again", async () => {
    await configure({});
    const page = await openComposer("x");
    await write(page, "x", RISKY);
    await page.click(SUBMIT.x);
    await held(page);
    await page.keyboard.press("Escape");
    await page.waitForSelector(PANEL, { hidden: true });
    assert.equal(await page.$(MARKS), null);
    assert.ok(await editorHasFocus(page, "x"));
    assert.deepEqual(await posted(page), []);
    await page.close();
  });

  for (const site of ["bluesky", "linkedin"]) {
    test(`${site}: closing the composer of a held post takes the panel and its highlights away, unposted`, async () => {
      await configure({});
      const page = await openComposer(site);
      await write(page, site, RISKY);
      await page.click(SUBMIT[site]);
      await held(page);
      if (site === "bluesky") {
        await page.click('[data-testid="composePostView"] button[aria-label="Cancel"]');
        await (await page.waitForSelector('[data-testid="confirmBtn"]', { visible: true })).click();
      } else {
        await page.click('button[aria-label="Dismiss"]');
      }
      await page.waitForSelector(PANEL, { hidden: true, timeout: 2000 });
      assert.equal(await page.$(MARKS), null);
      assert.deepEqual(await posted(page), []);
      await page.close();
    });
  }

  test("wordpress: a risky post is held before the pre-publish step; Apply, then it publishes", async () => {
    await configure({});
    const page = await openComposer("wordpress");
    await write(page, "wordpress", RISKY);
    await page.click(SUBMIT.wordpress);
    await held(page);
    assert.equal(await page.$(".editor-post-publish-panel"), null);
    await page.click(`${PANEL} li[data-finding*="pii.email_address"] [data-action=apply]`);
    await (await page.waitForSelector(`${PANEL} [data-action=post]`, { visible: true })).click();
    await (await page.waitForSelector(PRE_PUBLISH, { visible: true })).click();
    await waitPosted(page);
    assert.deepEqual(await posted(page), [expectedPost("wordpress", FIXED)]);
    await page.close();
  });

  test("wordpress: on a published post Ctrl+S in the canvas iframe is held", async () => {
    await configure({});
    const page = await openSite(browser, "https://example.org/wp-admin/post.php?post=7&action=edit");
    await page.waitForFunction(() => window.__ready === true);
    const frame = await (await page.$('iframe[name="editor-canvas"]')).contentFrame();
    await frame.click(".wp-block-paragraph");
    await page.keyboard.press("End");
    await page.keyboard.type(` Questions: ${EMAIL}`);
    await page.keyboard.down("Control");
    await page.keyboard.press("s");
    await page.keyboard.up("Control");
    await held(page);
    assert.ok((await panelText(page)).includes(EMAIL));
    await page.close();
  });

  test("service down: fails open with a notice", async () => {
    await configure({ serviceUrl: `http://127.0.0.1:${await freePort()}` });
    const page = await openComposer("x");
    await write(page, "x", RISKY);
    await page.click(SUBMIT.x);
    await waitPosted(page);
    assert.deepEqual(await posted(page), [RISKY]);
    const notice = await (await page.waitForSelector(NOTICE, { visible: true })).evaluate((el) => el.innerText);
    assert.match(notice, /could not be reached/);
    assert.match(notice, /posted without a check/);
    await page.close();
  });

  test("service down, fail closed: held with the draft kept; Try again posts once it is back", async () => {
    await configure({ serviceUrl: `http://127.0.0.1:${await freePort()}`, failMode: "closed" });
    const page = await openComposer("bluesky");
    await write(page, "bluesky", CLEAN);
    await page.click(SUBMIT.bluesky);
    await held(page);
    assert.match(await panelText(page), /could not be reached/);
    await control.evaluate((url) => globalThis.browser.storage.local.set({ serviceUrl: url }), service.url);
    await new Promise((r) => setTimeout(r, 100));
    await page.click(`${PANEL} [data-action=retry]`);
    await waitPosted(page);
    assert.deepEqual(await posted(page), [CLEAN]);
    await page.close();
  });

  test("options: two URLs typed into one another are refused, not saved; one address is saved", async () => {
    await configure({ serviceUrl: "http://127.0.0.1:9" });
    const page = await openExtensionPage(browser);
    const typeUrl = async (url) => {
      await page.$eval("#serviceUrl", (el) => (el.value = ""));
      await page.type("#serviceUrl", url);
      await page.keyboard.press("Tab");
    };
    await typeUrl(`http://127.0.0.1:800${service.url}`);
    await page.waitForSelector("#serviceUrl-error", { visible: true });
    assert.match(await page.$eval("#serviceUrl-error", (el) => el.textContent), /not a web address/);
    assert.equal(await page.$eval("#serviceUrl", (el) => el.getAttribute("aria-invalid")), "true");
    const saved = () => page.evaluate(async () => (await globalThis.browser.storage.local.get("serviceUrl")).serviceUrl);
    assert.equal(await saved(), "http://127.0.0.1:9");
    await typeUrl(`${service.url}/`);
    await page.waitForSelector("#serviceUrl-error", { hidden: true });
    assert.equal(await page.$eval("#serviceUrl", (el) => el.getAttribute("aria-invalid")), "false");
    await page.waitForFunction(async (want) => (await globalThis.browser.storage.local.get("serviceUrl")).serviceUrl === want, {}, service.url);
    await page.close();
  });

  test("a press on Post during a check is answered when it returns: words typed meanwhile are checked too", async () => {
    const slow = await slowProxy(service.port, 2000);
    try {
      await configure({ serviceUrl: slow.url });
      const page = await openComposer("x");
      await write(page, "x", CLEAN);
      await page.click(SUBMIT.x);
      // While the first check runs, the author adds an address and presses Post again.
      await page.click(EDITOR.x);
      await page.keyboard.press("End");
      await page.keyboard.type(` Write to ${EMAIL}`);
      assert.deepEqual(await posted(page), [], "typed while the first check ran");
      await page.click(SUBMIT.x);
      await page.waitForSelector(PANEL, { visible: true, timeout: 10_000 });
      assert.deepEqual(await posted(page), []);
      assert.ok((await panelText(page)).includes(EMAIL));
      // Apply, then press the site's own Post while the re-check runs: it posts when that passes.
      await page.click(`${PANEL} li[data-finding*="pii.email_address"] [data-action=apply]`);
      await page.click(SUBMIT.x);
      await waitPosted(page);
      assert.deepEqual(await posted(page), [`${CLEAN} Write to [email removed]`]);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await posted(page)).length, 1);
      await page.close();
    } finally {
      slow.close();
    }
  });
});
