"""Small exports of every format scan reads, built from records (import as ``from exports import ...``)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

TWEETS = [
    # (id, text as the archive holds it (entities escaped), created_at, t.co url -> expanded)
    ("1001", "Email me at jane.doe@example.com &amp; I'll sort it https://t.co/abc",
     "Wed Oct 10 20:19:24 +0000 2018", ("https://t.co/abc", "https://status.example.ac.uk/vpn")),
    ("1002", "The VPN is back up. Thanks for your patience!", "Thu Jan 02 09:00:00 +0000 2020", None),
    ("1003", "What a shitty day for the network", "Fri Mar 05 12:30:00 +0000 2021", None),
]


def tweets_js(tweets=TWEETS) -> str:
    items = []
    for tid, text, created, url in tweets:
        urls = [{"url": url[0], "expanded_url": url[1], "display_url": url[1][8:], "indices": ["0", "1"]}] if url else []
        items.append({"tweet": {"id_str": tid, "id": tid, "full_text": text, "created_at": created,
                                "entities": {"urls": urls, "hashtags": []}}})
    return "window.YTD.tweets.part0 = " + json.dumps(items, indent=2)


def x_archive(folder: Path, *, zipped: bool = True, tweets=TWEETS) -> Path:
    account = 'window.YTD.account.part0 = [{"account": {"username": "uniservicedesk", "accountId": "9"}}]'
    files = {"data/tweets.js": tweets_js(tweets), "data/account.js": account, "Your archive.html": "<html></html>"}
    return _pack(folder / "twitter-2024", files, zipped)


NOTES = [
    # (id, HTML content, published, to-public?)
    ("https://mastodon.example/users/desk/statuses/1", "<p>Call Jane on 07700 900123 about it</p>",
     "2022-05-01T10:00:00Z", True),
    ("https://mastodon.example/users/desk/statuses/2", "<p>All fixed &amp; running.</p>", "2023-01-09T08:00:00Z", True),
    ("https://mastodon.example/users/desk/statuses/3", "<p>Your password is hunter2hunter2</p>",
     "2023-02-01T08:00:00Z", False),
]


def outbox(notes=NOTES) -> dict:
    public = "https://www.w3.org/ns/activitystreams#Public"
    items = [{"type": "Announce", "object": "https://elsewhere.example/statuses/9"}]
    for nid, content, published, is_public in notes:
        items.append({
            "id": nid + "/activity", "type": "Create", "published": published,
            "to": [public] if is_public else ["https://mastodon.example/users/desk/followers"], "cc": [],
            "object": {"id": nid, "type": "Note", "content": content, "published": published,
                       "url": nid.replace("/users/desk/statuses/", "/@desk/"), "summary": None,
                       "to": [public] if is_public else ["https://mastodon.example/users/desk/followers"], "cc": []},
        })
    return {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json", "type": "OrderedCollection",
            "totalItems": len(items), "orderedItems": items}


def mastodon_archive(folder: Path, *, zipped: bool = True, notes=NOTES) -> Path:
    files = {"outbox.json": json.dumps(outbox(notes)), "actor.json": json.dumps({"preferredUsername": "desk"})}
    return _pack(folder / "mastodon-archive", files, zipped)


SKEETS = [
    # (rkey, text, createdAt)
    ("3kaaaaaaaaa22", "Library wifi down again, sorry folks", "2023-11-01T09:00:00.000Z"),
    ("3kaaaaaaaab22", "Ring Sam Smith on 07700 900456 for a loan laptop", "2024-02-14T12:00:00.000Z"),
    ("3kaaaaaaaac22", "Service restored, thank you", "2024-03-01T16:20:00.000Z"),
]
DID = "did:plc:servicedesk1234"


def _cid(block: bytes) -> bytes:
    return bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(block).digest()  # CIDv1, dag-cbor, sha2-256


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def bluesky_car(path: Path, skeets=SKEETS, *, extra_records=(("app.bsky.feed.like/3kzzz", {"$type": "app.bsky.feed.like"}),)) -> Path:
    """A repository export: records, a two-level record tree (so the walk is tested), a commit, as CARv1."""
    import libipld

    blocks: list[bytes] = []

    def put(obj) -> bytes:
        data = libipld.encode_dag_cbor(obj)
        blocks.append(data)
        return _cid(data)

    records = sorted(
        [(f"app.bsky.feed.post/{rkey}", {"$type": "app.bsky.feed.post", "text": text, "createdAt": created, "langs": ["en"]})
         for rkey, text, created in skeets] + list(extra_records)
    )
    cids = [(key.encode(), put(rec)) for key, rec in records]

    def entries(items):
        out, prev = [], b""
        for key, cid in items:
            p = 0
            while p < min(len(prev), len(key)) and prev[p] == key[p]:
                p += 1
            out.append({"p": p, "k": key[p:], "v": cid, "t": None})
            prev = key
        return out

    # The first record sits in a left subtree, the rest in the root node.
    left = put({"l": None, "e": entries(cids[:1])})
    root = put({"l": left, "e": entries(cids[1:])})
    commit = put({"did": DID, "version": 3, "data": root, "rev": "3kabc", "prev": None, "sig": b"\x00" * 64})
    header = libipld.encode_dag_cbor({"roots": [commit], "version": 1})
    with open(path, "wb") as f:
        f.write(_varint(len(header)) + header)
        for data in blocks:
            cid = _cid(data)
            f.write(_varint(len(cid) + len(data)) + cid + data)
    return path


def bluesky_jsonl(path: Path, skeets=SKEETS) -> Path:
    lines = [json.dumps({"uri": f"at://{DID}/app.bsky.feed.post/{rkey}", "cid": "bafy",
                         "value": {"$type": "app.bsky.feed.post", "text": text, "createdAt": created}})
             for rkey, text, created in skeets]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


WP_POSTS = [
    # (id, type, status, title, content, gmt date)
    ("11", "post", "publish", "Exam results", "<p>Jane Doe (student 12345678) failed her resit.</p>", "2019-06-01 10:00:00"),
    ("12", "page", "publish", "Contact us", "<p>Email <a href='mailto:help@example.ac.uk'>the desk</a>.</p>", "2019-01-01 09:00:00"),
    ("13", "post", "draft", "Draft: outage", "<p>The server at 10.0.0.12 is down, pw is Tr0ub4dor&amp;3xyz</p>", "0000-00-00 00:00:00"),
    ("14", "post", "private", "Staff only", "<p>Ticket INC0012345 is closed.</p>", "2020-02-02 02:02:02"),
    ("15", "attachment", "inherit", "logo.png", "", "2019-01-01 00:00:00"),
]


def wxr(path: Path, posts=WP_POSTS, *, truncate_at: int | None = None) -> Path:
    items = []
    for pid, kind, status, title, content, gmt in posts:
        items.append(f"""
  <item>
    <title>{escape(title)}</title>
    <link>https://blog.example.ac.uk/?p={pid}</link>
    <pubDate>Sat, 01 Jun 2019 10:00:00 +0000</pubDate>
    <dc:creator><![CDATA[desk]]></dc:creator>
    <guid isPermaLink="false">https://blog.example.ac.uk/?p={pid}</guid>
    <content:encoded><![CDATA[{content}]]></content:encoded>
    <wp:post_id>{pid}</wp:post_id>
    <wp:post_date_gmt>{gmt}</wp:post_date_gmt>
    <wp:status>{status}</wp:status>
    <wp:post_type>{kind}</wp:post_type>
    <wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta>
  </item>""")
    text = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>IT Service Desk blog</title>
  <link>https://blog.example.ac.uk</link>
  <wp:wxr_version>1.2</wp:wxr_version>{"".join(items)}
</channel>
</rss>
"""
    path.write_text(text[:truncate_at] if truncate_at else text, encoding="utf-8")
    return path


def rss(path: Path) -> Path:
    path.write_text("""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Desk</title>
<item><title>Outage</title><link>https://blog.example.ac.uk/outage</link><guid>post-1</guid>
<pubDate>Tue, 05 Mar 2024 10:00:00 +0000</pubDate><description>Short</description>
<content:encoded><![CDATA[<p>Ask jane.doe@example.com for details</p>]]></content:encoded></item>
<item><title>Fixed</title><link>https://blog.example.ac.uk/fixed</link><guid>post-2</guid>
<pubDate>Wed, 06 Mar 2024 10:00:00 +0000</pubDate><description>&lt;p&gt;All good now&lt;/p&gt;</description></item>
</channel></rss>
""", encoding="utf-8")
    return path


def atom(path: Path) -> Path:
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:desk</id>
<entry><title>Printers</title><id>urn:desk:1</id><link rel="alternate" href="https://blog.example.ac.uk/printers"/>
<published>2021-04-01T09:00:00Z</published><content type="html">&lt;p&gt;Call 07700 900789&lt;/p&gt;</content></entry>
</feed>
""", encoding="utf-8")
    return path


def markdown_folder(folder: Path) -> Path:
    (folder / "posts" / "2022").mkdir(parents=True)
    (folder / "posts" / "2022" / "vpn.md").write_text(
        "---\ntitle: VPN\ndate: 2022-03-04\n---\n# VPN\n\nEmail jane.doe@example.com for access.\n", encoding="utf-8")
    (folder / "posts" / "hello.markdown").write_text("Hello, world.\n", encoding="utf-8")
    (folder / "posts" / "notes.txt").write_text("not a post", encoding="utf-8")
    return folder / "posts"


def table_csv(path: Path) -> Path:
    path.write_text('id,date,body\n1,2020-01-01,"Mail jane.doe@example.com, please"\n2,2021-01-01,All good\n',
                    encoding="utf-8")
    return path


def _pack(base: Path, files: dict[str, str], zipped: bool) -> Path:
    if zipped:
        path = base.with_suffix(".zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                z.writestr(name, text)
        return path
    for name, text in files.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text, encoding="utf-8")
    return base
