// Build loadable packages: dist/chromium/ and dist/firefox/ (unpacked) plus a .zip of each.
// Plain Node, no bundler: the sources are already what the browser loads.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const SOURCES = ["manifest.json", "managed-schema.json", "messages.js", "settings.js", "worker.js", "content", "adapters", "options"];

/** The manifest for one browser, from the checked-in (Chromium-loadable) manifest. */
export function manifestFor(browser, base = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"))) {
  const m = structuredClone(base);
  if (browser === "chromium") {
    delete m.browser_specific_settings;
  } else if (browser === "firefox") {
    // Firefox runs MV3 background code as an event page listing its scripts.
    m.background = { scripts: ["messages.js", "settings.js", "content/scripts.js", "worker.js"] };
    delete m.minimum_chrome_version;
    delete m.storage; // Firefox takes managed settings from enterprise policies instead
  } else {
    throw new Error(`unknown browser ${JSON.stringify(browser)}: expected chromium or firefox`);
  }
  return m;
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A deflate .zip of `dir` (what browser stores and about:debugging accept). */
function zip(dir, out) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const path of files(dir).sort()) {
    const name = Buffer.from(relative(dir, path).split("\\").join("/"));
    const data = readFileSync(path);
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0, 6);
    head.writeUInt16LE(8, 8); head.writeUInt32LE(0, 10); head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26); head.writeUInt16LE(0, 28);
    locals.push(head, name, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 4); entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0, 8); entry.writeUInt16LE(8, 10); entry.writeUInt32LE(0, 12);
    entry.writeUInt32LE(crc, 16); entry.writeUInt32LE(packed.length, 20); entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28); entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += head.length + name.length + packed.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  const count = central.length / 2;
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(count, 8); end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12); end.writeUInt32LE(offset, 16);
  writeFileSync(out, Buffer.concat([...locals, ...central, end]));
}

export function build(browsers = ["chromium", "firefox"]) {
  const built = [];
  for (const browser of browsers) {
    const out = join(DIST, browser);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const src of SOURCES) cpSync(join(ROOT, src), join(out, src), { recursive: true });
    writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifestFor(browser), null, 2)}\n`);
    const archive = join(DIST, `postguard-${browser}.zip`);
    zip(out, archive);
    const digest = createHash("sha256").update(readFileSync(archive)).digest("hex").slice(0, 12);
    built.push({ browser, dir: out, zip: archive, digest });
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const b of build(process.argv.slice(2).length ? process.argv.slice(2) : undefined)) {
    console.log(`${b.browser}: ${relative(ROOT, b.dir)}/ and ${relative(ROOT, b.zip)} (sha256 ${b.digest}…)`);
  }
}
