"""Profanity: disguises with exact spans in the original, Scunthorpe, grades, policy changes."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from better_profanity import profanity as better_profanity
from hypothesis import given, settings
from hypothesis import strategies as st
from helpers import assert_spans_exact

import postguard
from postguard.checks.profanity import (
    Match,
    ProfanityCheck,
    default_lexicon,
    find_profanity,
    profanity_in,
)
from postguard.errors import PolicyError
from postguard.findings import Finding, Severity
from postguard.parsing import parse
from postguard.policy import Policy, load_policy
from postguard.post import Post

ZW = "\u200b"  # zero-width space
ZWJ = "\u200d"


def run(text: str, fmt: str = "plain", **config) -> list[Finding]:
    check = ProfanityCheck(config, Policy(name="test"))
    return list(check.run(parse(Post(text=text, format=fmt))))


def found(text: str, fmt: str = "plain", **config) -> list[tuple[str, str]]:
    """(rule_id, excerpt) of every finding, after checking the spans point into ``text``."""
    findings = run(text, fmt, **config)
    assert_spans_exact(text, findings)
    return [(f.rule_id, f.excerpt) for f in findings]


# The expected excerpt is located in the original text, so its position is checked too.
DISGUISES = [
    # plain, inflected, capitals
    ("what the fuck", "fuck"),
    ("Fuck!", "Fuck"),
    ("you bastards", "bastards"),
    ("SHIT.", "SHIT"),
    # leetspeak
    ("that's sh1t", "sh1t"),
    ("kiss my @ss", "@ss"),
    ("$h!t happens", "$h!t"),
    ("what a b!tch", "b!tch"),
    ("such a pu$$y", "pu$$y"),
    ("bullsh1t!", "bullsh1t"),
    ("this is sh!+", "sh!+"),
    ("n1gger", "n1gger"),
    ("$h173", "$h173"),
    ("5h17", "5h17"),
    # masks
    ("f*ck this", "f*ck"),
    ("what an a**hole", "a**hole"),
    ("f**king great", "f**king"),
    ("you're full of s**t", "s**t"),
    ("**shit**", "shit"),
    # separators
    ("f.u.c.k off", "f.u.c.k"),
    ("f u c k you", "f u c k"),
    ("f-u-c-k", "f-u-c-k"),
    ("f_u_c_k", "f_u_c_k"),
    ("f*u*c*k", "f*u*c*k"),
    ("s . h . i . t", "s . h . i . t"),
    ("fu.ck", "fu.ck"),
    ("sh-it", "sh-it"),
    ("mother-fucker", "mother-fucker"),
    ("son of a bitch", "son of a bitch"),
    # repeated letters
    ("fuuuuuck", "fuuuuuck"),
    ("shiiiiit", "shiiiiit"),
    ("ssshhhhiiiiiittttt", "ssshhhhiiiiiittttt"),
    ("bitchhhh", "bitchhhh"),
    # zero-width characters (removed by the parse; the span covers them in the original)
    (f"f{ZW}u{ZW}c{ZW}k", f"f{ZW}u{ZW}c{ZW}k"),
    (f"oh sh{ZWJ}it", f"sh{ZWJ}it"),
    # homoglyphs (Cyrillic letters inside a Latin word, or a word of look-alikes)
    ("fuсk", "fuсk"),  # Cyrillic es
    ("ѕһіт", "ѕһіт"),
    # styled Unicode letters (NFKC-folded by the parse)
    ("𝐟𝐮𝐜𝐤 this", "𝐟𝐮𝐜𝐤"),
    ("𝓈𝒽𝒾𝓉", "𝓈𝒽𝒾𝓉"),
    ("ｆｕｃｋ", "ｆｕｃｋ"),
    ("ⓕⓤⓒⓚ", "ⓕⓤⓒⓚ"),
    ("ꜰᴜᴄᴋ", "ꜰᴜᴄᴋ"),
    ("🅵🆄🅲🅺", "🅵🆄🅲🅺"),
    ("fück", "fück"),
    ("f̶u̶c̶k̶ that", "f̶u̶c̶k̶"),  # strike-through marks
    ("s̷̢h̴i̵t̸", "s̷̢h̴i̵t̸"),  # zalgo
    # compounds
    ("#fuckthis", "fuckthis"),
    ("abso-fucking-lutely", "fucking"),
    ("jeezuz.fucking.christ", "fucking"),
    ("#dumbfuck", "dumbfuck"),
]


@pytest.mark.parametrize(("text", "excerpt"), DISGUISES)
def test_disguises_are_found_with_exact_original_spans(text, excerpt):
    findings = run(text)
    assert_spans_exact(text, findings)
    assert [f.excerpt for f in findings] == [excerpt]
    assert findings[0].start == text.index(excerpt)


def test_markdown_offsets_point_into_the_original():
    text = "# Update\n\nThis **f\u200bu\u200bc\u200bk**ing [link](https://example.com/shit) is *sh1t*.\n"
    assert found("A **damn** good [post](https://x.org/crap)", "markdown") == [("profanity.mild", "damn")]
    findings = run(text, "markdown")
    assert_spans_exact(text, findings)
    # the link target is not prose; markers around a word are not part of it, inside one they are
    assert [f.excerpt for f in findings] == ["f\u200bu\u200bc\u200bk**ing", "sh1t"]
    assert [f.rule_id for f in findings] == ["profanity.strong", "profanity.strong"]


def test_web_addresses_are_not_prose():
    assert found("see https://bit.ly/2fUcK and www.example.com/shit-list, shit") == [
        ("profanity.strong", "shit")
    ]
    assert found("https://example.com/cock-tail-party") == []
    # a link without a scheme (parsed.urls) too; a bare domain without a path is still prose
    assert found("short link: bit.ly/shit4u") == []
    assert found("sh.it happens") == [("profanity.strong", "sh.it")]


def test_html_entities_map_back():
    text = "<p>what the f&#117;ck</p>"
    assert found(text, "html") == [("profanity.strong", "f&#117;ck")]


SCUNTHORPE = [
    "Scunthorpe", "Penistone", "Essex", "Middlesex", "Sussex", "Wessex", "Cockburn", "Cockermouth",
    "Dickens", "Dickinson", "Hancock", "Matsushita", "Shitterton", "Lightwater", "Clitheroe",
    "Cumbria", "Twatt", "Alan Cumming", "Dominic Cummings", "Dick Van Dyke", "Moby-Dick",
    "Philip K. Dick", "Fanny Burney", "Maine Coon", "Homo sapiens", "Rio Negro", "Niger", "Japan",
    "cocktail", "cock-tail", "cocky", "cockerel", "cocker spaniel", "peacock", "stopcock",
    "assassin", "assess", "assessment", "bass", "class", "passage", "analysis", "grape",
    "therapist", "shiitake", "shitake mushrooms", "cumulative", "summa cum laude",
    "a kitchen-cum-diner", "titmouse", "blue tits", "great tit", "tit-for-tat", "titan",
    "spick and span", "a chink in the armour", "spicy", "spices", "spiky", "SPAC", "SPACs",
    "hello", "shell", "scrap", "skyscraper", "butter", "Dorking", "honky-tonk", "hell-bent",
    "niggle", "damning words", "cocked", "half-cocked", "pricked his finger", "sauerkraut",
    "raccoon", "Hellas", "hassle", "massive", "harassment", "embarrass", "circumstance",
    "document", "knob", "screw", "virgin", "breast cancer", "gay pride", "1337 5p34k", "2 4 5",
    "455", "I have 5 cats", "Paris Hilton", "Shih Tzu", "woop woop", "noob", "Scrooges",
    "Lesbos/Greece", "C++ and C#", "grade A+", "the A55 to Bangor",
    "B52s", "M25", "5318008", "a pussy cat", "pussy willow", "a fag break", "faggots and peas",
    "spastic diplegia", "the retarded potential", "keep your pecker up",
]


@pytest.mark.parametrize("text", SCUNTHORPE)
def test_scunthorpe_is_never_flagged(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "rule_id", "severity"),
    [
        ("damn", "profanity.mild", Severity.INFO),
        ("what the hell", "profanity.mild", Severity.INFO),
        ("crap", "profanity.mild", Severity.INFO),
        ("fuck", "profanity.strong", Severity.WARNING),
        ("cunt", "profanity.strong", Severity.WARNING),
        ("wanker", "profanity.strong", Severity.WARNING),
        ("faggot", "profanity.slur", Severity.BLOCK),
        ("n1gger", "profanity.slur", Severity.BLOCK),
        ("retards", "profanity.slur", Severity.BLOCK),
    ],
)
def test_severity_grades(text, rule_id, severity):
    (f,) = run(text)
    assert (f.rule_id, f.severity, f.category) == (rule_id, severity, "profanity")


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("damn", "darn"),
        ("Hell", "Heck"),
        ("SHIT", "SHOOT"),
        ("what the f.u.c.k", "flip"),
        ("bastard", "b******"),
        ("c*nt", "c***"),
    ],
)
def test_suggestion_is_milder_or_masked(text, suggestion):
    (f,) = run(text)
    assert f.suggestion == suggestion


def test_suggest_mask_and_none():
    assert run("damn", suggest="mask")[0].suggestion == "d***"
    assert run("damn", suggest="none")[0].suggestion is None


def test_disguised_findings_say_so():
    plain, disguised = run("fuck"), run("f.u.c.k")
    assert "Disguising" not in plain[0].message and plain[0].score == 1.0
    assert "Disguising" in disguised[0].message and disguised[0].score == 0.9
    assert "fuck" not in disguised[0].message  # the message shows the word masked


# ------------------------------------------------------------------ policy


def test_policy_adds_removes_and_regrades_words():
    assert found("git", words={"git": "mild"}) == [("profanity.mild", "git")]
    assert found("damn it", words={"damn": "off"}) == []
    assert found("damn it", remove=["damn"]) == []
    assert found("damn it", words={"damn": "strong"}) == [("profanity.strong", "damn")]
    assert found("bloody hell", words={"bloody": False}) == [("profanity.mild", "hell")]
    # compounds follow their word
    assert found("#fuckthis", words={"fuck": "mild"}) == [("profanity.mild", "fuckthis")]
    assert found("#fuckthis", words={"fuck": "off"}) == []


def test_policy_allow_lists():
    assert found("the hell week starts") == [("profanity.mild", "hell")]
    assert found("the hell week starts", allow_phrases=["hell week"]) == []
    assert found("the Knobhead Arms", allow=["knobhead"]) == []
    assert found("the Knobhead Arms (pub)", allow=["Knobhead Arms"]) == []
    assert found("a knobhead", allow=["Knobhead Arms"]) == [("profanity.strong", "knobhead")]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"wordz": {}}, "wordz"),
        ({"words": {"damn": "rude"}}, "mild, off, slur, strong"),
        ({"words": ["damn"]}, "must map words"),
        ({"allow": "damn"}, "list of strings"),
        ({"allow_phrases": ["(unclosed"]}, "invalid pattern"),
        ({"suggest": "rewrite"}, "mask, milder, none"),
    ],
)
def test_invalid_config_lists_what_is_allowed(config, message):
    with pytest.raises(PolicyError, match=re.escape(message)):
        ProfanityCheck(config, Policy(name="test"))


def test_policy_file_changes_reach_the_check(tmp_path):
    path = tmp_path / "strict.yaml"
    path.write_text("checks:\n  profanity:\n    words: {hell: strong}\n")
    (f,) = postguard.Checker(path).check("what the hell").findings
    assert f.rule_id == "profanity.strong"


def test_default_policy_enables_profanity():
    policy = load_policy()
    config = policy.enabled_checks()["profanity"]
    parsed = parse(Post(text="this is sh1t"))
    findings = list(ProfanityCheck(config, policy).run(parsed))
    assert [(f.rule_id, f.excerpt, f.suggestion) for f in findings] == [("profanity.strong", "sh1t", "shoot")]


def test_check_many_and_severity_override():
    policy = Policy(name="only-profanity", checks={"profanity": {}}, severity={"profanity.mild": "off"})
    reports = postguard.Checker(policy).check_many(["damn", "fine words", "f*ck", "faggot"])
    assert [[(f.rule_id, f.severity) for f in r.findings] for r in reports] == [
        [],
        [],
        [("profanity.strong", Severity.WARNING)],
        [("profanity.slur", Severity.BLOCK)],
    ]
    assert [r.verdict for r in reports] == ["pass", "pass", "warn", "block"]


# ------------------------------------------------------------------ shared signals


def test_matches_are_a_view_made_once_for_every_check():
    parsed = parse(Post(text="oh f.u.c.k"))
    assert not parsed.computed("profanity")
    list(ProfanityCheck({}, Policy(name="test")).run(parsed))
    assert parsed.computed("profanity")
    shared = parsed.profanity
    assert shared == [Match(3, 10, "fuck", "strong", True)]
    assert profanity_in(parsed) is shared


def test_a_configured_list_leaves_the_shared_view_alone():
    parsed = parse(Post(text="oh crap"))
    check = ProfanityCheck({"remove": ["crap"]}, Policy(name="test"))
    assert [f.rule_id for f in check.run(parsed) if hasattr(f, "rule_id")] == []
    assert [m.word for m in parsed.profanity] == ["crap"]


def test_profanity_in_matches_when_the_check_did_not_run():
    parsed = parse(Post(text="𝐬𝐡𝐢𝐭"))
    (m,) = profanity_in(parsed)
    assert (m.word, m.grade, parsed.span(m.start, m.end)) == ("shit", "strong", (0, 4))


def test_find_profanity_on_a_plain_string():
    assert find_profanity("oh crap, b!tch") == [
        Match(3, 7, "crap", "mild", False),
        Match(9, 14, "bitch", "strong", True),
    ]


# ------------------------------------------------------------------ the word list


def test_every_better_profanity_word_is_graded_or_excluded():
    """The shipped list starts from better-profanity's: each of its words is either found by the
    matcher (graded) or deliberately excluded."""
    source = resources.files("better_profanity") / "profanity_wordlist.txt"
    missing = []
    excluded = default_lexicon().excluded
    for word in source.read_text(encoding="utf-8").split("\n"):
        word = word.strip()
        if word and word.lower() not in excluded and not find_profanity(word):
            missing.append(word)
    assert missing == []


def test_every_graded_word_is_found_as_itself():
    lexicon = default_lexicon()
    missed = [w for w, g in lexicon.words.items() if [m.grade for m in find_profanity(w)] != [g]]
    assert missed == []


def test_better_profanity_misses_what_postguard_finds():
    """Sanity check on the baseline the benchmark compares against."""
    better_profanity.load_censor_words()
    assert not better_profanity.contains_profanity("f u c k")
    assert find_profanity("f u c k")


# ------------------------------------------------------------------ robustness


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_gives_exact_spans(text):
    assert_spans_exact(text, run(text))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["fuck", "shit", "cunt", "bitch", "twat", "wanker", "bastard", "asshole"]),
    st.lists(st.sampled_from([ZW, ZWJ, "\u00ad", "\u2060"]), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_invisible_characters_anywhere_inside_a_word_do_not_hide_it(word, invisibles, rnd):
    chars = list(word)
    for ch in invisibles:
        chars.insert(rnd.randrange(1, len(chars)), ch)
    disguised = "".join(chars)
    text = f"well {disguised} then"
    assert found(text) == [("profanity.strong", disguised)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        " ".join("abcdefghijklmnopqrstuvwxyz"[(i * 7) % 26] for i in range(45_000)),
        "cock-tail fuck " * 6_000,
        "f.u.c.k " * 11_000,
        "a*" * 45_000,
        "ab-" * 30_000,
    ],
)
def test_long_adversarial_text_stays_fast(text):
    import time

    t0 = time.perf_counter()
    find_profanity(text)
    assert time.perf_counter() - t0 < 5.0


def test_the_word_list_loads_from_the_package_without_network(no_network):
    default_lexicon.cache_clear()
    assert default_lexicon().words["fuck"] == "strong"
    assert run("f.u.c.k")
    assert no_network == []
