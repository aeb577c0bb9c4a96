"""Each kind, table-driven: (rule fields, text, expected excerpts)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from helpers import assert_spans_exact

from postguard.checks.policy.loader import build_rule, read_yaml
from postguard.checks.policy.rule import Target
from postguard.errors import RuleError
from postguard.parsing import parse
from postguard.post import Post, PostMetadata

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)  # a Monday


@pytest.fixture
def make_rule(tmp_path):
    def make(kind: str, fields: str, settings=None):
        """A rule from a YAML flow mapping of its kind's fields: ``{phrases: [foo]}``."""
        path = tmp_path / "pack" / "rule.yaml"
        path.parent.mkdir(exist_ok=True)
        inner = fields.strip().removeprefix("{").removesuffix("}")
        path.write_text(f"{{kind: {kind}, message: 'm {{match}}', {inner}}}\n", encoding="utf-8")
        return build_rule(read_yaml(path), str(path), "pack.rule", settings=settings, require_examples=False)

    return make


def run(rule, text, *, fmt="plain", platform="generic", scheduled_at=None, now=NOW):
    post = Post(text=text, format=fmt, platform=platform, metadata=PostMetadata(scheduled_at=scheduled_at))
    findings = list(rule.find(Target(parse(post), now=now)))
    assert_spans_exact(text, findings)
    return findings


def excerpts(findings):
    return [f.excerpt for f in findings]


@pytest.mark.parametrize(
    ("fields", "text", "expected"),
    [
        ("{phrases: [internal only]}", "This is INTERNAL only.", ["INTERNAL only"]),
        ("{phrases: [internal only]}", "internal  only, Internal\nonly", ["internal  only", "Internal\nonly"]),
        ("{phrases: [ad]}", "bad ads add an ad", ["ad"]),
        ("{phrases: [foo, foo bar]}", "foo foo,foo bar foo", ["foo", "foo", "foo bar", "foo"]),
        ("{phrases: ['#ad']}", "#ad and #advert and x#ad", ["#ad", "#ad"]),
        ("{phrases: [café]}", "Le café, cafés", ["café"]),
        ("{phrases: [Foo], ignorecase: false}", "foo Foo FOO", ["Foo"]),
        # Homoglyph and width folding happen before matching: a Cyrillic 'о' and full-width letters.
        ("{phrases: [do not share]}", "d\u043e not ｓｈａｒｅ", ["d\u043e not ｓｈａｒｅ"]),
    ],
)
def test_phrase(make_rule, fields, text, expected):
    assert excerpts(run(make_rule("phrase", fields), text)) == expected


@pytest.mark.parametrize(
    ("fields", "text", "expected"),
    [
        ("{swap: {chairman: chair}}", "The chairman and the Chairman.", [("chairman", "chair"), ("Chairman", "Chair")]),
        ("{swap: {hi guys: hi everyone}}", "Hi  guys!", [("Hi  guys", "Hi everyone")]),
        ("{preferred: Example Council, variants: [example council, ECC]}", "ECC and Example Council", [("ECC", "Example Council")]),
        ("{swap: {'colou?r': colour}, regex: true}", "color and colour", [("color", "colour")]),
    ],
)
def test_substitution(make_rule, fields, text, expected):
    assert [(f.excerpt, f.suggestion) for f in run(make_rule("substitution", fields), text)] == expected


def test_substitution_message_uses_suggest(make_rule):
    rule = make_rule("substitution", "{swap: {whitelist: allowlist}}")
    rule.message = "Use '{suggest}' instead of '{match}'."
    assert run(rule, "our whitelist")[0].message == "Use 'allowlist' instead of 'whitelist'."


@pytest.mark.parametrize(
    ("fields", "text", "expected"),
    [
        (r"{pattern: '\bINC\d{6}\b'}", "see INC123456 and INC12345678", ["INC123456"]),
        (r"{pattern: 'password\s*:\s*(\S+)', group: 1}", "password: hunter2", ["hunter2"]),
        (r"{patterns: ['\bfoo\b', '\bbar\b']}", "foo bar baz", ["foo", "bar"]),
        (r"{pattern: 'FOO', ignorecase: true}", "foo Foo", ["foo", "Foo"]),
        (r"{pattern: '(a+)+$'}", "a" * 5000 + "b", []),
    ],
)
def test_pattern(make_rule, fields, text, expected):
    assert excerpts(run(make_rule("pattern", fields), text)) == expected


@pytest.mark.parametrize(
    ("fields", "text", "expected"),
    [
        (r"{token: '\B#\w+', max: 2}", "#a #b #c #d", ["#c", "#d"]),
        (r"{token: '\B#\w+', max: 2}", "#a #b", []),
        ("{phrases: [amazing], max: 1, ignorecase: true}", "Amazing! amazing.", ["amazing"]),
        ("{token: '!', max: 1, scope: sentence}", "Wow! Yes! Great!! Done", ["!"]),
    ],
)
def test_occurrence(make_rule, fields, text, expected):
    rule = make_rule("occurrence", fields)
    rule.message = "{count} > {max}"
    found = run(rule, text)
    assert excerpts(found) == expected
    assert all(f.message == found[0].message for f in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is sponsored by Acme", ["sponsored"]),
        ("This is sponsored by Acme #ad", []),
        ("Nothing to see", []),
    ],
)
def test_conditional_presence(make_rule, text, expected):
    rule = make_rule("conditional", r"{ignorecase: true, first: '\bsponsored\b', second: '#ad\b'}")
    assert excerpts(run(rule, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Support for SEND is changing.", ["SEND"]),
        ("Special Educational Needs (SEND) support. SEND plans stay.", []),
        ("The NHS and SEND.", ["SEND"]),
        ("WHO said so", ["WHO"]),
    ],
)
def test_conditional_acronym_groups(make_rule, text, expected):
    rule = make_rule(
        "conditional", r"{first: '\b([A-Z]{3,5})\b', second: '(?:\b[A-Z][a-z]+\s+){2,}\(([A-Z]{3,5})\)', exceptions: [NHS]}"
    )
    assert excerpts(run(rule, text)) == expected


@pytest.mark.parametrize(
    ("fields", "text", "expected"),
    [
        ("{entities: [PERSON], context: [complaint]}", "We looked into Mrs Okafor's complaint today.", ["Mrs Okafor"]),
        ("{entities: [PERSON], context: [complaint]}", "John Smith opened the library.", []),
        ("{entities: [PERSON], context: [diagnosis]}", "Sarah Jones received her diagnosis on Friday.", ["Sarah Jones"]),
        ("{entities: [EMAIL_ADDRESS], context: [grade]}", "Marks for pupil jo@example.org: grade C", ["jo@example.org"]),
        ("{entities: [TICKET], context_entities: [PERSON]}", "INC0012345 raised by Mrs Patel", ["INC0012345"]),
        ("{entities: [TICKET], context_entities: [PERSON]}", "INC0012345 is fixed", []),
        ("{entities: [PERSON], context: [grade], window: 10}", "Mr Brown is here. Later we talk about the grade", []),
    ],
)
def test_entity(make_rule, fields, text, expected):
    assert excerpts(run(make_rule("entity", fields), text)) == expected


def test_entity_reads_no_doc_without_context(make_rule):
    rule = make_rule("entity", "{entities: [PERSON], context: [diagnosis]}")
    parsed = parse(Post(text="John Smith opened the library."))
    assert list(rule.find(Target(parsed))) == []
    assert not parsed.has_doc


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("Ring 07700 900123 about the arrears", "plain", [(5, 17)]),
        ("Ring **07700 900123** about the *arrears*", "markdown", [(7, 19)]),
        ("Ring 07700 900123 about the library", "plain", []),
    ],
)
def test_entity_finds_its_own_entities_without_other_checks(make_rule, text, fmt, expected):
    rule = make_rule("entity", "{entities: [PHONE_NUMBER], context: [arrears]}")
    parsed = parse(Post(text=text, format=fmt))
    hits = list(rule.find(Target(parsed)))
    assert [(h.start, h.end) for h in hits] == expected
    assert all(text[h.start : h.end] == "07700 900123" for h in hits)


def test_entity_unknown_type_lists_valid_types(make_rule):
    with pytest.raises(RuleError, match="entity 'NAME' is not one of: .*EMAIL_ADDRESS.*PERSON.*TICKET"):
        make_rule("entity", "{entities: [NAME], context: [x]}")


@pytest.mark.parametrize(
    ("fields", "text", "fmt", "expected"),
    [
        ("{test: shortener, domains: [bit.ly]}", "go to https://bit.ly/abc or bit.ly/x", "plain", [("https://bit.ly/abc", None), ("bit.ly/x", None)]),
        ("{test: shortener, domains: [bit.ly]}", "[apply](https://bit.ly/abc)", "markdown", [("https://bit.ly/abc", None)]),
        ("{test: tracking, params: ['utm_*', fbclid]}", "https://example.org/a?id=1&utm_source=x&fbclid=y#top", "plain",
         [("?id=1&utm_source=x&fbclid=y", "?id=1")]),
        ("{test: tracking, params: ['utm_*']}", "example.org/a?utm_source=x", "plain", [("?utm_source=x", "")]),
        ("{test: tracking, params: [fbclid]}", '<a href="https://x.org/?a=1&amp;fbclid=2">x</a>', "html",
         [("https://x.org/?a=1&amp;fbclid=2", "https://x.org/?a=1")]),
        ("{test: tracking, params: ['utm_*']}", "https://example.org/a?id=1", "plain", []),
        ("{test: domain, domains: ['*.internal', 'staging.*', intranet.example.org]}",
         "https://wiki.internal/x https://staging.example.org https://intranet.example.org/a https://example.org", "plain",
         [("https://wiki.internal/x", None), ("https://staging.example.org", None), ("https://intranet.example.org/a", None)]),
        ("{test: insecure}", '<a href="http://example.org/x">http://example.org/x</a>', "html",
         [("http://", "https://"), ("http://", "https://")]),
    ],
)
def test_link(make_rule, fields, text, fmt, expected):
    rule = make_rule("link", fields)
    assert [(f.excerpt, f.suggestion) for f in run(rule, text, fmt=fmt)] == expected


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "scheduled", "expected"),
    [
        ("See you tomorrow!", _at(3), [("tomorrow", "on Tuesday 2 June")]),
        ("See you tomorrow!", _at(1, 18), []),  # goes out today
        ("See you tomorrow!", None, []),  # not scheduled
        ("Open this Friday", _at(4), []),  # still this Friday on Thursday
        ("Open this Friday", _at(6), [("this Friday", "on Friday 5 June")]),
        ("Closed next week", _at(9), [("next week", None)]),
        ("Open every Friday and on Good Friday", _at(6), []),
        ("Closed next week", _at(3), []),
    ],
)
def test_date_relative(make_rule, text, scheduled, expected):
    rule = make_rule("date", "{mode: relative}")
    assert [(f.excerpt, f.suggestion) for f in run(rule, text, scheduled_at=scheduled)] == expected


@pytest.mark.parametrize(
    ("scheduled", "now", "expected"),
    [
        (None, _at(1), ["Project Heron"]),
        (None, _at(20), []),
        (_at(10), _at(1), []),
        (_at(8), _at(1), ["Project Heron"]),
    ],
)
def test_date_embargo_from_settings(make_rule, scheduled, now, expected):
    rule = make_rule(
        "date",
        "{mode: embargo, settings: {embargoes: []}, embargoes: '${embargoes}'}",
        settings={"embargoes": [{"terms": ["Project Heron"], "until": "2026-06-10T09:00:00Z"}]},
    )
    assert excerpts(run(rule, "Project Heron launches", scheduled_at=scheduled, now=now)) == expected


def test_rule_only_runs_on_its_platforms(make_rule):
    rule = make_rule("phrase", "{phrases: [foo], platforms: [twitter, linkedin]}")
    assert rule.platforms == ("x", "linkedin")
    assert excerpts(run(rule, "foo", platform="x")) == ["foo"]
    assert excerpts(run(rule, "foo", platform="mastodon")) == []


def test_markdown_offsets_point_into_the_original(make_rule):
    rule = make_rule("phrase", "{phrases: [do not share]}")
    text = "# Title\n\n**Do not** share [this](https://x.org)"
    assert excerpts(run(rule, text, fmt="markdown")) == ["Do not** share"]


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("link", "{domains: [x]}", "'test' is required (one of: domain, insecure, shortener, tracking)"),
        ("date", "{}", "'mode' is required (one of: embargo, relative)"),
        ("link", "{test: shortener}", "test 'shortener' needs 'domains'"),
        ("occurrence", "{token: x}", "an occurrence rule needs 'max'"),
        ("conditional", "{first: x}", "'second' is required"),
        ("pattern", "{pattern: '(a)', group: 2}", "group 2 does not exist; the pattern has 1 group(s)"),
        ("styled", "{styles: [gothic]}", "style 'gothic' is not one of: circled, fullwidth, mathematical, squared"),
    ],
)
def test_kind_fields_are_validated(make_rule, kind, fields, message):
    with pytest.raises(RuleError, match=re.escape(message)):
        make_rule(kind, fields)


def test_fixes_for_one_url_apply_together(make_rule):
    from postguard.report import Report

    text = "See http://example.org/a?id=1&utm_source=x now"
    rules = [make_rule("link", "{test: insecure}"), make_rule("link", "{test: tracking, params: ['utm_*']}")]
    target = Target(parse(Post(text=text)))
    findings = tuple(sorted((f for r in rules for f in r.find(target)), key=lambda f: f.start))
    report = Report(findings=findings, scores={}, timings_ms={}, policy="p", platform="generic", version="0")
    assert report.apply_suggestions(text) == "See https://example.org/a?id=1 now"


@pytest.mark.parametrize(
    ("fields", "text", "expected"),
    [
        ("{}", "𝗙𝗥𝗘𝗘 𝗪𝗶𝗙𝗶 today, 𝘪𝘵𝘢𝘭𝘪𝘤 and 𝔣𝔯𝔞𝔨𝔱𝔲𝔯!", [("𝗙𝗥𝗘𝗘 𝗪𝗶𝗙𝗶", "FREE WiFi"), ("𝘪𝘵𝘢𝘭𝘪𝘤", "italic"), ("𝔣𝔯𝔞𝔨𝔱𝔲𝔯", "fraktur")]),
        ("{}", "ＦＲＥＥ coffee, ⓕⓡⓔⓔ cake, 🄵🅁🄴🄴 tea", [("ＦＲＥＥ", "FREE"), ("ⓕⓡⓔⓔ", "free"), ("🄵🅁🄴🄴", "FREE")]),
        ("{}", "🅵🆁🅴🅴 and 🅕🅡🅔🅔 today", [("🅵🆁🅴🅴", "FREE"), ("🅕🅡🅔🅔", "FREE")]),
        ("{}", "ℌ𝔢𝔩𝔩𝔬 and 𝕋𝕙𝕖 ℝ𝕖𝕒𝕝 one", [("ℌ𝔢𝔩𝔩𝔬", "Hello"), ("𝕋𝕙𝕖 ℝ𝕖𝕒𝕝", "The Real")]),
        ("{styles: [fullwidth]}", "ＦＲＥＥ and 𝗙𝗥𝗘𝗘", [("ＦＲＥＥ", "FREE")]),
        ("{min_letters: 5}", "𝗙𝗥𝗘𝗘 and 𝗙𝗥𝗘𝗘𝗗𝗢𝗠", [("𝗙𝗥𝗘𝗘𝗗𝗢𝗠", "FREEDOM")]),
        # Not styled: plain text, accents, other scripts, emoji and symbols, one lone letter,
        # full-width Latin inside Japanese text.
        ("{}", "Café naïve Ærø straße Привет Γειά مرحبا", []),
        ("{}", "🎉📶 🇬🇧 🅰️ 🆗 Ⓜ️ x² ½ ℃ № ℝ 🅰️🅱️ 🅾️🅿️", []),
        ("{}", "東京のＷｉＦｉは無料です", []),
    ],
)
def test_styled(make_rule, fields, text, expected):
    found = run(make_rule("styled", fields), text)
    assert [(f.excerpt, f.suggestion) for f in found] == expected


def test_styled_spans_point_into_the_original_of_markdown(make_rule):
    text = "**Big news:** 𝗙𝗥𝗘𝗘 𝗪𝗶𝗙𝗶 [in the library](https://example.org)"
    [f] = run(make_rule("styled", "{}"), text, fmt="markdown")
    assert f.excerpt == "𝗙𝗥𝗘𝗘 𝗪𝗶𝗙𝗶" and text[f.start : f.end] == f.excerpt
