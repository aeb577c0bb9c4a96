import pytest

from postguard import Post, parse


def prose(text: str, fmt: str) -> str:
    return parse(Post(text=text, format=fmt)).text


@pytest.mark.parametrize(
    ("markdown", "must_have", "must_not_have"),
    [
        ("# Outage update\n\nEmail is **down**.", ["Outage update", "Email is down."], ["#", "**"]),
        ("See [the status page](https://status.example.ac.uk/x).", ["the status page"], ["https", "]("]),
        ("![a photo of the server room](img/room.png)", ["a photo of the server room"], ["img/room"]),
        ("Run `rm -rf /tmp/x` now", ["Run", "now"], ["rm -rf"]),
        ("```\npassword = hunter2\n```\nafter", ["after"], ["hunter2"]),
        ("~~~python\nsecret()\n~~~\n", [], ["secret"]),
        ("text\n\n    indented code line\n\nmore", ["text", "more"], ["indented code"]),
        ("<!-- internal note: fire Bob -->visible", ["visible"], ["fire Bob"]),
        ("<!-- multi\nline\ncomment -->\nshown", ["shown"], ["multi", "comment"]),
        ("- item _one_\n- item *two*\n1. three", ["item one", "item two", "three"], ["- ", "_one_", "*two*"]),
        ("> quoted **words**", ["quoted words"], [">"]),
        ("[ref link][1]\n\n[1]: https://intranet.corp/x", ["ref link"], ["intranet.corp"]),
        ("Tom &amp; Jerry", ["Tom & Jerry"], ["&amp;"]),
        ("snake_case_name stays", ["snake_case_name"], []),
        ("f**k stays visible", ["f**k"], []),
        ("---\ntitle: Hello world\nlayout: post\n---\nBody", ["Hello world", "Body"], ["layout"]),
        ("| a | b |\n|---|---|\n| c | d |", ["a", "c"], ["---"]),
        ("unclosed [link( and `tick", ["unclosed", "link"], []),
    ],
)
def test_markdown_checks_prose_not_syntax(markdown, must_have, must_not_have):
    text = prose(markdown, "markdown")
    for s in must_have:
        assert s in text, (s, text)
    for s in must_not_have:
        assert s not in text, (s, text)


def test_markdown_link_targets_are_collected_with_original_offsets():
    src = "See [status](https://status.example.ac.uk/x) and <https://intranet.corp/y>."
    parsed = parse(Post(text=src, format="markdown"))
    urls = [(link.url, src[link.start : link.end]) for link in parsed.links]
    assert urls == [
        ("https://status.example.ac.uk/x", "https://status.example.ac.uk/x"),
        ("https://intranet.corp/y", "https://intranet.corp/y"),
    ]


@pytest.mark.parametrize(
    ("html", "must_have", "must_not_have"),
    [
        ("<p>Hello <b>world</b></p>", ["Hello world"], ["<b>"]),
        ("<script>var password='x'</script><p>ok</p>", ["ok"], ["password"]),
        ("<style>.a{color:red}</style>text", ["text"], ["color"]),
        ('<img src="a.png" alt="photo of Jane Doe">', ["photo of Jane Doe"], ["a.png"]),
        ('<a href="https://x.corp" title="internal wiki">link</a>', ["internal wiki", "link"], ["x.corp"]),
        ("Tom &amp; Jerry &#169; &copy;", ["Tom & Jerry © ©"], ["&amp;"]),
        ("<p>unclosed <b>bold <i>italic", ["unclosed bold italic"], []),
        ("<!-- hidden -->shown", ["shown"], ["hidden"]),
        ("<div>one</div><div>two</div>", ["one", "two"], ["onetwo"]),
    ],
)
def test_html_checks_visible_text_and_alt_title(html, must_have, must_not_have):
    text = prose(html, "html")
    for s in must_have:
        assert s in text, (s, text)
    for s in must_not_have:
        assert s not in text, (s, text)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_offsets_point_into_the_original(fmt):
    src = {
        "markdown": "# Hi\n\nCall **Jane** at [home](http://x) &amp; `code` 𝐛𝐨𝐥𝐝",
        "html": "<h1>Hi</h1><p>Call <b>Jane</b> &amp; 𝐛𝐨𝐥𝐝</p>",
    }[fmt]
    parsed = parse(Post(text=src, format=fmt))
    for word, original in [("Jane", "Jane"), ("bold", "𝐛𝐨𝐥𝐝"), ("&", "&amp;")]:
        i = parsed.text.index(word)
        start, end = parsed.span(i, i + len(word))
        assert src[start:end] == original
