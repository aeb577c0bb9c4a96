"""Every export format read back: ids, dates, links, platforms, and errors that name the file and place."""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone

import pytest
from exports import (
    DID, NOTES, SKEETS, TWEETS, atom, bluesky_car, bluesky_jsonl, mastodon_archive, markdown_folder, rss,
    table_csv, tweets_js, wxr, x_archive,
)

from postguard.errors import ReadError
from postguard.scan.readers import detect, read
from postguard.scan.record import PublishedPost


def posts_and_errors(path, **kw):
    items = list(read(path, **kw))
    return [i for i in items if isinstance(i, PublishedPost)], [i for i in items if isinstance(i, ReadError)]


@pytest.mark.parametrize("zipped", [True, False])
def test_x_archive_zip_or_folder(tmp_path, zipped):
    path = x_archive(tmp_path, zipped=zipped)
    assert detect(path) == "x-archive"
    posts, errors = posts_and_errors(path)
    assert errors == []
    assert [p.id for p in posts] == [t[0] for t in TWEETS]
    first = posts[0]
    # Entities unescaped and the t.co link expanded, as the tweet was read.
    assert first.text == "Email me at jane.doe@example.com & I'll sort it https://status.example.ac.uk/vpn"
    assert first.date == datetime(2018, 10, 10, 20, 19, 24, tzinfo=timezone.utc)
    assert first.url == "https://x.com/uniservicedesk/status/1001"
    assert (first.platform, first.format) == ("x", "plain")
    assert first.source.endswith("data/tweets.js")


def test_a_lone_tweets_js_by_content_not_name(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(tweets_js(), encoding="utf-8")
    assert detect(path) == "x-tweets-js"
    posts, _ = posts_and_errors(path)
    assert [p.url for p in posts][1] == "https://x.com/i/web/status/1002"


@pytest.mark.parametrize("zipped", [True, False])
def test_mastodon_archive(tmp_path, zipped):
    path = mastodon_archive(tmp_path, zipped=zipped)
    assert detect(path) == "mastodon-archive"
    posts, errors = posts_and_errors(path)
    assert errors == []
    assert [p.id for p in posts] == [n[0] for n in NOTES]  # the boost (Announce) is skipped
    assert [p.status for p in posts] == ["published", "published", "followers"]
    assert posts[0].text == NOTES[0][1] and posts[0].format == "html" and posts[0].platform == "mastodon"
    assert posts[0].url == "https://mastodon.example/@desk/1"
    assert posts[1].date == datetime(2023, 1, 9, 8, tzinfo=timezone.utc)


def test_bluesky_car_walks_the_record_tree_in_key_order(tmp_path):
    path = bluesky_car(tmp_path / "repo.car")
    assert detect(path) == "bluesky-car"
    posts, errors = posts_and_errors(path)
    assert errors == []
    assert [p.id for p in posts] == [f"at://{DID}/app.bsky.feed.post/{s[0]}" for s in SKEETS]  # the like is not a post
    assert [p.text for p in posts] == [s[1] for s in SKEETS]
    assert posts[1].url == f"https://bsky.app/profile/{DID}/post/{SKEETS[1][0]}"
    assert posts[1].date == datetime(2024, 2, 14, 12, tzinfo=timezone.utc)
    assert posts[0].platform == "bluesky"


def test_bluesky_jsonl_gives_the_same_posts_as_the_car(tmp_path):
    car, _ = posts_and_errors(bluesky_car(tmp_path / "repo.car"))
    path = bluesky_jsonl(tmp_path / "posts.jsonl")
    assert detect(path) == "bluesky-jsonl"
    jsonl, errors = posts_and_errors(path)
    assert errors == []
    assert [(p.id, p.text, p.date, p.url) for p in jsonl] == [(p.id, p.text, p.date, p.url) for p in car]


def test_wordpress_posts_and_pages_drafts_and_private_marked(tmp_path):
    path = wxr(tmp_path / "export.xml")
    assert detect(path) == "wordpress"
    posts, errors = posts_and_errors(path)
    assert errors == []
    assert [(p.id, p.status) for p in posts] == [("11", "published"), ("12", "published"), ("13", "draft"), ("14", "private")]
    assert posts[0].text == "<h1>Exam results</h1>\n<p>Jane Doe (student 12345678) failed her resit.</p>"
    assert posts[0].url == "https://blog.example.ac.uk/?p=11" and posts[0].title == "Exam results"
    assert posts[0].date == datetime(2019, 6, 1, 10, tzinfo=timezone.utc)
    assert posts[2].date is not None  # a draft has no GMT date; the feed's pubDate stands in
    assert {p.format for p in posts} == {"html"} and {p.platform for p in posts} == {"wordpress"}


def test_rss_and_atom_feeds(tmp_path):
    posts, errors = posts_and_errors(rss(tmp_path / "feed.xml"))
    assert errors == []
    assert [(p.id, p.url) for p in posts] == [("post-1", "https://blog.example.ac.uk/outage"), ("post-2", "https://blog.example.ac.uk/fixed")]
    assert "jane.doe@example.com" in posts[0].text and posts[1].text.endswith("<p>All good now</p>")
    posts, errors = posts_and_errors(atom(tmp_path / "atom"))
    assert [(p.id, p.date.year) for p in posts] == [("urn:desk:1", 2021)]
    assert "07700 900789" in posts[0].text


def test_markdown_folder_skips_front_matter_and_keeps_its_offset(tmp_path):
    folder = markdown_folder(tmp_path)
    assert detect(folder) == "markdown"
    posts, errors = posts_and_errors(folder)
    assert errors == []
    assert [p.id for p in posts] == ["2022/vpn.md", "hello.markdown"]
    vpn = posts[0]
    assert vpn.text.startswith("# VPN") and vpn.title == "VPN" and vpn.date == datetime(2022, 3, 4)
    raw = (folder / "2022" / "vpn.md").read_text(encoding="utf-8")
    assert raw[vpn.offset :] == vpn.text


def test_csv_and_jsonl_with_a_text_column(tmp_path):
    path = table_csv(tmp_path / "posts.csv")
    posts, errors = posts_and_errors(path, text_column="body", platform="linkedin")
    assert errors == []
    assert [(p.id, p.text, p.platform) for p in posts] == [
        ("1", "Mail jane.doe@example.com, please", "linkedin"), ("2", "All good", "linkedin")]
    posts, errors = posts_and_errors(path)
    assert posts == [] and "no column 'text'" in str(errors[0]) and "body" in str(errors[0])

    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text('{"id": "a", "text": "one"}\n{"id": "b", "text": \n{"text": "three"}\n', encoding="utf-8")
    posts, errors = posts_and_errors(jsonl)
    assert [p.id for p in posts] == ["a", f"{jsonl}:line 3"]  # the bad line is reported and skipped
    assert len(errors) == 1 and f"{jsonl}: line 2" in str(errors[0])


# ---------------------------------------------------------------------------------------------- malformed


def test_truncated_tweets_js_keeps_what_was_read_and_names_the_place(tmp_path):
    path = x_archive(tmp_path, zipped=False)
    js = path / "data" / "tweets.js"
    text = js.read_text(encoding="utf-8")
    js.write_text(text[: text.index('"1003"')], encoding="utf-8")
    posts, errors = posts_and_errors(path)
    assert [p.id for p in posts] == ["1001", "1002"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{js}: item 3") and "truncated" in str(errors[0])


def test_malformed_item_in_tweets_js(tmp_path):
    path = tmp_path / "tweets.js"
    path.write_text(tweets_js().replace('"id_str": "1002"', '"id_str" "1002"'), encoding="utf-8")
    posts, errors = posts_and_errors(path)
    assert [p.id for p in posts] == ["1001"]
    assert "item 2 (character" in str(errors[0]) and "Expecting ':' delimiter" in str(errors[0])


def test_truncated_zip_is_an_error_naming_the_file(tmp_path):
    path = mastodon_archive(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    posts, errors = posts_and_errors(path)
    assert posts == [] and len(errors) == 1 and str(errors[0]).startswith(str(path))


def test_truncated_wordpress_export(tmp_path):
    full = wxr(tmp_path / "full.xml").read_text(encoding="utf-8")
    cut = full.index("<wp:post_id>13")
    path = wxr(tmp_path / "cut.xml", truncate_at=cut)
    posts, errors = posts_and_errors(path)
    assert [p.id for p in posts] == ["11", "12"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}: line ")


def test_bad_car_and_unknown_files(tmp_path):
    car = bluesky_car(tmp_path / "repo.car")
    car.write_bytes(car.read_bytes()[:-40])
    posts, errors = posts_and_errors(car)
    assert errors and str(errors[0]).startswith(str(car))
    other = tmp_path / "notes.bin"
    other.write_bytes(b"\x00\x01\x02 nothing")
    posts, errors = posts_and_errors(other)
    assert posts == [] and "not a known export" in str(errors[0]) and "wordpress" in str(errors[0])
    empty_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("readme.txt", "hi")
    assert "neither data/tweets.js" in str(posts_and_errors(empty_zip)[1][0])


def test_the_benchmark_archive_reads_back(tmp_path):
    import importlib.util
    from pathlib import Path

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "scan.py"
    spec = importlib.util.spec_from_file_location("bench_scan", bench)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = tmp_path / "train.csv"
    data.write_text('id,text\n1,"one, with a comma"\n2,two & <three>\n', encoding="utf-8")
    archive = module.make_archive(data, 5, tmp_path)
    posts, errors = posts_and_errors(archive)
    assert errors == [] and len({p.id for p in posts}) == 5
    assert [p.text for p in posts] == ["one, with a comma", "two & <three>"] * 2 + ["one, with a comma"]
    assert posts[0].date < posts[-1].date and posts[0].url.startswith("https://x.com/bench/status/")


@pytest.mark.parametrize("value", [
    "Wed Oct 10 20:19:24 +0000 2018", "Thu Jan 02 09:00:00 +0130 2020", "Fri Mar 05 12:30:00 -0800 2021",
    "Sat Feb 29 23:59:59 +0000 2020", "Mon Jan 01 00:00:00 -0000 2001", "Wed Oct 10 20:19:24 +2359 2018",
    # shapes strptime reads or refuses by its own rules
    "Wed Oct 1 20:19:24 +0000 2018", "Wed Oct 10 20:19:24 Z 2018", "Wed Oct 10 20:19:24 +00:00 2018",
    "wed oct 10 20:19:24 +0000 2018", "Wed Oct 10 20:19:24 +0000 \uff12\uff1018",
    "Sun Feb 30 10:00:00 +0000 2021",
    "Wed Oct 10 24:00:00 +0000 2018", "Wed Oct 10 20:19:60 +0000 2018", "Wed Oct 10 20:19:24 +0099 2018",
    "Wed Oct 10 20:19:24 +2400 2018", "Wed Oct 10 20:19:24 +0000 0000", "2018-10-10T20:19:24Z", "",
])
def test_created_at_reads_as_strptime_does(value):
    from datetime import datetime

    from postguard.scan.readers.x import created_at

    def parsed(parse):
        try:
            when = parse(value)
        except ValueError:
            return ValueError
        return when, when.isoformat(), when.utcoffset()

    assert parsed(created_at) == parsed(lambda v: datetime.strptime(v, "%a %b %d %H:%M:%S %z %Y"))
