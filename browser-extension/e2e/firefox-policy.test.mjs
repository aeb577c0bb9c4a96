// The extension rolled out by enterprise policy in Firefox: a policies.json in /etc/firefox/policies/
// presets its settings through managed storage (3rdparty.Extensions.<id>), and the options page shows
// them locked. Runs alone: Firefox reads the file when it starts, and the file is removed afterwards.
import assert from "node:assert/strict";
import { accessSync, constants, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { ADDON_ID, API_KEY, freePort, launchFirefox, openExtensionPage, openSite, startService } from "./harness.mjs";

const POLICY_DIR = process.env.FIREFOX_POLICY_DIR ?? "/etc/firefox/policies";
const POLICY_FILE = `${POLICY_DIR}/policies.json`;
const EMAIL = "jane.doe@example.com";
const RISKY = `Launch day write to ${EMAIL} for tickets`;
const PANEL = "#postguard-panel >>> .panel";

/** Why the policy cannot be written here (not root, as scripts/test is in CI), or null. */
function unwritable() {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return null;
  } catch (err) {
    return `${POLICY_DIR} is not writable (${err.code}): run as root, as scripts/test does in CI`;
  }
}

let browser;
let service;
let wordpress; // the organisation's own WordPress sites, in folders of its sites

describe("the extension set up by a Firefox enterprise policy", { concurrency: false, skip: unwritable() ?? false }, () => {
  before(async () => {
    if (existsSync(POLICY_FILE)) throw new Error(`${POLICY_FILE} exists already: not overwriting this machine's policies`);
    service = await startService();
    wordpress = [
      `http://localhost:${await freePort()}/news`, "https://www.example.ac.uk/news/blog",
      "http://intranet.example.ac.uk/servicedesk", // plain http, not localhost
    ];
    writeFileSync(POLICY_FILE, JSON.stringify({
      policies: {
        "3rdparty": {
          Extensions: {
            [ADDON_ID]: { serviceUrl: service.url, apiKey: API_KEY, failMode: "closed", wordpressSites: wordpress },
          },
        },
      },
    }, null, 2));
    ({ browser } = await launchFirefox());
  });

  after(async () => {
    rmSync(POLICY_FILE, { force: true });
    await browser?.close();
    await service?.stop();
  });

  test("the options page shows the organisation's settings, locked", async () => {
    const page = await openExtensionPage(browser);
    await page.waitForSelector("#managed", { visible: true });
    const form = await page.evaluate(() => ({
      serviceUrl: [document.getElementById("serviceUrl").value, document.getElementById("serviceUrl").disabled],
      apiKey: document.getElementById("apiKey").disabled,
      failMode: [...document.querySelectorAll('input[name="failMode"]')].map((r) => [r.value, r.checked, r.disabled]),
      policy: document.getElementById("policy").disabled,
      wordpress: document.getElementById("wordpress-sites").textContent,
    }));
    assert.ok(wordpress.every((site) => form.wordpress.includes(site)));
    delete form.wordpress;
    assert.deepEqual(form, {
      serviceUrl: [service.url, true], apiKey: true, failMode: [["open", false, true], ["closed", true, true]], policy: false,
    });
    await page.close();
  });

  test("the author's own settings cannot undo the policy: the managed service and key check the post", async () => {
    const control = await openExtensionPage(browser);
    await control.evaluate((port) => globalThis.browser.storage.local.set({ serviceUrl: `http://127.0.0.1:${port}`, apiKey: "mine", failMode: "open" }), await freePort());
    const page = await openSite(browser, "https://x.com/compose/post");
    await page.waitForSelector('[data-testid="tweetTextarea_0"]', { visible: true });
    await page.click('[data-testid="tweetTextarea_0"]');
    await page.keyboard.type(RISKY);
    await page.click('[data-testid="tweetButton"]');
    await page.waitForSelector(PANEL, { visible: true });
    assert.ok((await page.$eval(PANEL, (el) => el.innerText)).includes(EMAIL));
    assert.deepEqual(await page.evaluate(() => window.__posted), []);
    await control.evaluate(() => globalThis.browser.storage.local.clear());
    await page.close();
    await control.close();
  });

  for (const [i, kind] of [[0, "http, localhost"], [1, "https"], [2, "plain http, another host"]]) {
    test(`the organisation's WordPress, named by the policy, is checked in its folder with no prompt (${kind})`, async () => {
      const page = await openSite(browser, `${wordpress[i]}/wp-admin/post-new.php`);
      assert.ok(page.url().startsWith(wordpress[i]), page.url()); // not upgraded to https
      await page.waitForSelector(".wp-block-paragraph", { visible: true });
      await page.click(".editor-post-title__input");
      await page.keyboard.type("Open day");
      await page.click(".wp-block-paragraph");
      await page.keyboard.type(RISKY);
      await page.click(".editor-post-publish-panel__toggle");
      await page.waitForSelector(PANEL, { visible: true });
      assert.ok((await page.$eval(PANEL, (el) => el.innerText)).includes(EMAIL));
      assert.deepEqual(await page.evaluate(() => window.__posted), []);
      await page.close();
    });
  }
});
