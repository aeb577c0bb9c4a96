// The service URL is checked before it is saved (options page) and before it is used (worker).
import assert from "node:assert/strict";
import { test } from "node:test";
import { fixture, load } from "./load.mjs";

const { pg } = load(fixture("generic.html"), "https://example.org/");

test("one service address is accepted, normalised without its trailing slash", () => {
  for (const [typed, url] of [
    ["http://127.0.0.1:8000", "http://127.0.0.1:8000"],
    [" http://127.0.0.1:8000/ ", "http://127.0.0.1:8000"],
    ["https://postguard.example.org/api/", "https://postguard.example.org/api"],
    ["http://localhost:47729", "http://localhost:47729"],
  ]) {
    const answer = pg.settings.checkServiceUrl(typed); // an object of the jsdom window
    assert.equal(answer.url, url, typed);
    assert.equal(answer.error, undefined, typed);
  }
});

test("two addresses typed into one another, and other non-addresses, are refused with a reason", () => {
  for (const [typed, reason] of [
    ["http://127.0.0.1:800http://127.0.0.1:47729", /not a web address/],
    ["http://a.examplehttp://b.example", /more than one address/],
    ["127.0.0.1:8000", /not a web address/],
    ["", /empty/],
    ["ftp://files.example", /http:\/\/ or https:\/\//],
    ["http://user:secret@pg.example", /no user name/],
    ["http://pg.example/?key=1", /\?query/],
  ]) {
    const answer = pg.settings.checkServiceUrl(typed);
    assert.equal(answer.url, undefined, typed);
    assert.match(answer.error, reason, typed);
  }
});
