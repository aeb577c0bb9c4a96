"""The kinds Vale's rule types brought (repetition, consistency, capitalization, metric) and the
``within`` and ``segment`` fields, as postguard rules: (rule fields, text, expected excerpts)."""

from __future__ import annotations

import pytest
from helpers import assert_spans_exact

from postguard.checks.policy.kinds.metric import counts, syllables
from postguard.checks.policy.loader import build_rule, read_yaml
from postguard.checks.policy.rule import Target
from postguard.errors import RuleError
from postguard.parsing import parse
from postguard.post import Post


@pytest.fixture
def make_rule(tmp_path):
    def make(kind: str, fields: str, message: str = "m {match}"):
        path = tmp_path / "pack" / "rule.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"kind: {kind}\nmessage: '{message}'\n{fields.strip()}\n", encoding="utf-8")
        return build_rule(read_yaml(path), str(path), "pack.rule", require_examples=False)

    return make


def found(rule, text, fmt="plain"):
    findings = list(rule.find(Target(parse(Post(text=text, format=fmt)))))
    assert_spans_exact(text, findings)
    return [f.excerpt for f in findings]


@pytest.mark.parametrize(
    ("fields", "text", "expected"),
    [
        ("alpha: true", "The the book is is here.", ["The the", "is is"]),
        ("alpha: true", "We paid 10 10 times.", []),
        ("alpha: false", "We paid 10 10 times.", ["10 10"]),
        ("alpha: true", "a list\nlist item", []),
        # Past 'max' repeats, the last two words are flagged and the count starts again (as Vale).
        ("max: 1", "no no no no", ["no no"]),
    ],
)
def test_repetition(make_rule, fields, text, expected):
    assert found(make_rule("repetition", fields), text) == expected


def test_repetition_message_names_the_word(make_rule):
    rule = make_rule("repetition", "alpha: true", message="{word} twice")
    [finding] = rule.find(Target(parse(Post(text="The the end"))))
    assert finding.message == "the twice"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The colour of the centre; its color.", ["color"]),
        ("Its color; the colour; the color.", ["colour"]),
        ("Colour, colour, everywhere.", []),
        ("The center and the colour.", []),
    ],
)
def test_consistency_flags_the_form_used_second(make_rule, text, expected):
    rule = make_rule("consistency", "either: {'\\bcolour\\b': '\\bcolor\\b', '\\bcentre\\b': '\\bcenter\\b'}")
    assert found(rule, text) == expected


@pytest.mark.parametrize(
    ("match", "text", "expected"),
    [
        ("$sentence", "# This is a heading\n\n# This is a Heading\n", ["This is a Heading"]),
        ("$sentence", "# Test: Modern management\n\n# Using the JSON API\n", []),
        ("$title", "# The Lord of the Rings\n\n# The lord of the rings\n", ["The lord of the rings"]),
        ("$upper", "# LOUD\n\n# quiet\n", ["quiet"]),
        ("$lower", "# quiet\n\n# LOUD\n", ["LOUD"]),
        ("'[A-Z][a-z]+ [a-z]+'", "# Two words\n\n# Three more words\n", ["Three more words"]),
    ],
)
def test_capitalization_of_markdown_headings(make_rule, match, text, expected):
    assert found(make_rule("capitalization", f"match: {match}"), text, fmt="markdown") == expected


def test_capitalization_exceptions_and_plain_text(make_rule):
    rule = make_rule("capitalization", "match: $sentence\nexceptions: [Service Desk]")
    assert found(rule, "# Call the Service Desk\n", fmt="markdown") == []
    # A plain post has no headings: the whole post is the one block.
    assert found(rule, "Call The Desk Today Please") == ["Call The Desk Today Please"]


def test_syllables_and_counts():
    assert [syllables(w) for w in ("cat", "table", "readability", "make", "the", "queue")] == [1, 2, 5, 1, 1, 1]
    c = counts("The cat sat. It was on the organisational mat!")
    assert (c["words"], c["sentences"], c["polysyllabic_words"], c["long_words"]) == (9, 2, 1, 1)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [("> 8", ["The implementation of organisational accountability necessitates reconsideration."]), ("< 0", [])],
)
def test_metric_flags_the_post_when_the_score_meets_the_condition(make_rule, condition, expected):
    rule = make_rule(
        "metric",
        f"formula: (0.39 * (words / sentences)) + (11.8 * (syllables / words)) - 15.59\ncondition: '{condition}'",
        message="grade {score}",
    )
    text = "The implementation of organisational accountability necessitates reconsideration."
    assert found(rule, text) == expected


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ("formula: import os\ncondition: '> 1'", "is not arithmetic over"),
        ("formula: words / unknown_thing\ncondition: '> 1'", "is not arithmetic over"),
        ("formula: words\ncondition: 'about 8'", "is not a comparison"),
    ],
)
def test_metric_refuses_what_it_cannot_evaluate(make_rule, fields, error):
    with pytest.raises(RuleError, match=error):
        make_rule("metric", fields)


def test_within_keeps_findings_in_those_blocks(make_rule):
    rule = make_rule("pattern", "pattern: '(?i)click here'\nwithin: [list]")
    text = "# Click here\n\n- Click here to start\n\nClick here in a paragraph.\n"
    assert found(rule, text, fmt="markdown") == ["Click here"]
    assert rule.within == ("list",)
    assert found(rule, "Click here in a tweet.") == []


def test_within_on_every_block_kind_and_thousands_of_blocks(make_rule):
    """Findings in the scopes named, also in a post of thousands of list items."""
    rule = make_rule("pattern", "pattern: '(?i)click here'\nwithin: [list, code, heading]")
    text = "Click here `Click here` x\n\n```\nClick here\n```\n## Click here\n1. a Click here\n\nClick here\n"
    assert found(rule, text, fmt="markdown") == ["Click here"] * 2  # the heading and the list item
    assert len(found(rule, "- Click here now\n" * 3000, fmt="markdown")) == 3000


def test_inside_finds_the_one_block_that_can_hold_a_span():
    """The same answers as trying every block, and 20,000 lookups in 20,000 blocks at once."""
    import random
    import time

    from postguard.checks.policy.blocks import inside

    rng = random.Random(5)
    blocks, pos = [], 0
    for _ in range(30):
        pos += rng.randint(0, 4)
        blocks.append((pos, pos + rng.randint(0, 6)))
        pos = blocks[-1][1]
    for _ in range(2000):
        a = rng.randint(0, pos + 2)
        b = a + rng.randint(0, 5)
        assert inside(blocks, a, b) == any(s <= a and b <= e for s, e in blocks)
    many = [(i * 10, i * 10 + 8) for i in range(20_000)]
    t = time.perf_counter()
    assert all(inside(many, i * 10 + 1, i * 10 + 5) for i in range(20_000))
    assert time.perf_counter() - t < 1.0  # 0.03 s; trying every block took about 19 s


def test_within_lists_the_blocks_it_knows(make_rule):
    with pytest.raises(RuleError, match="within 'table' is not one of: code, heading, list, paragraph"):
        make_rule("pattern", "pattern: x\nwithin: [table]")


@pytest.mark.parametrize(
    ("segment", "expected"),
    [(None, ["a, b. C, d or"]), ("line", ["a, b. C, d or"]), ("sentence", ["C, d or"])],
)
def test_segment_keeps_matches_inside_a_line_or_sentence(make_rule, segment, expected):
    fields = "pattern: '(?:[^,]+,)+\\s\\w+\\s(?:and|or)'" + (f"\nsegment: {segment}" if segment else "")
    assert found(make_rule("pattern", fields), "a, b. C, d or e") == expected
    if segment:
        assert found(make_rule("pattern", fields), "a, b\nc, d or e") == ["c, d or"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We recieve teh tickets.", ["recieve", "teh"]),
        ("Walked, running, unhappily, reworked; it's the cats' Wednesday.", []),
        ("NASA and GitHub on iPhone: see https://exmaple.org or @jdoe #servicedsk", []),
        ("The 2nd outage was 3x worse.", []),
        ("Our helpdesk and the Helpdesk.", []),
        # A token holding a link, an address, a mention or a tag is skipped whole, and only it.
        ("Mail recieve@uni.ac.uk, see exmaple.com/teh or teh(www.exmaple.ac.uk) then recieve", ["recieve"]),
        ("teh\nhttps://exmaple.org/teh\tteh", ["teh", "teh"]),
    ],
)
def test_spelling_with_debians_en_us_dictionary(make_rule, text, expected):
    assert found(make_rule("spelling", "accept: [helpdesk]"), text) == expected


def test_spelling_ignore_files_and_filters(make_rule, tmp_path):
    (tmp_path / "pack" ).mkdir(exist_ok=True)
    (tmp_path / "pack" / "words.txt").write_text("servicedesk\n# a comment\n", encoding="utf-8")
    rule = make_rule("spelling", "ignore: [words.txt]\nfilters: ['[Pp]ost[Gg]uard']")
    assert found(rule, "The servicedesk runs postguard and recieves mail.") == ["recieves"]


@pytest.mark.parametrize("unit", ["b", "ab#", "teh recieve exmaple.com @jdoe "])
def test_spelling_a_50000_character_post_in_linear_time(make_rule, unit):
    """One 50,000-letter run, or thousands of tokens to skip, take about four times as long as 12,500."""
    import time

    rule = make_rule("spelling", "accept: [helpdesk]")

    def seconds(n):
        target, best = Target(parse(Post(text=(unit * (n // len(unit) + 1))[:n]))), float("inf")
        for _ in range(3):  # the best of three: the machine is shared
            t = time.perf_counter()
            list(rule.find(target))
            best = min(best, time.perf_counter() - t)
        return best

    seconds(100)  # the dictionary read once
    # A 50,000-letter run took 56 s when the skip pattern was searched from every letter.
    assert seconds(50_000) < 9 * max(seconds(12_500), 0.01)


def test_spelling_names_the_missing_dictionary(make_rule):
    with pytest.raises(RuleError, match="no Hunspell dictionary 'xx_YY': install Debian's hunspell-xx-yy"):
        make_rule("spelling", "dictionary: xx_YY")


SEQUENCE = "tokens:\n  - tag: MD\n  - pattern: be\n  - tag: VBN\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The server will be restarted tonight.", ["will be restarted"]),
        ("It will be fine. Be quick.", []),
        ("The ticket should be closed soon; it must be done.", ["should be closed", "must be done"]),
    ],
)
def test_sequence_reads_the_tags_of_the_shared_parse(make_rule, text, expected):
    assert found(make_rule("sequence", SEQUENCE), text) == expected


def test_sequence_parses_only_posts_where_its_words_occur(make_rule):
    rule = make_rule("sequence", SEQUENCE)
    parsed = parse(Post(text="Printers on floor 2 are back."))
    assert list(rule.find(Target(parsed))) == [] and not parsed.has_doc


def test_sequence_skip_and_negate(make_rule):
    text = "It was broken. It was quickly fixed. It was not really closed."
    skip = make_rule("sequence", "tokens:\n  - pattern: was\n  - tag: VBN\n    skip: 1\n")
    assert found(skip, text) == ["was broken", "was quickly fixed"]
    negate = make_rule("sequence", "tokens:\n  - pattern: was\n  - tag: RB\n    negate: true\n")
    assert found(negate, text) == ["was broken"]


def test_metric_counts_markdown_blocks(make_rule):
    rule = make_rule("metric", "formula: heading.h2 + list\ncondition: '>= 3'", message="{score}")
    text = "# Title\n\n## One\n\n## Two\n\n- item\n"
    findings = list(rule.find(Target(parse(Post(text=text, format="markdown")))))
    assert [f.message for f in findings] == ["3.00"]
