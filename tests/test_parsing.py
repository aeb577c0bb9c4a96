"""ParsedPost's typed views: each made once, by the module that owns it, batched where it batches."""

from __future__ import annotations

from postguard.models import load_text_model, post_scores, score_sentences
from postguard.parsing import parse
from postguard.post import Post


class _CountingModel:
    """The real shipped model, counting its passes and the texts it was given."""

    def __init__(self) -> None:
        self.model = load_text_model()
        self.calls: list[list[str]] = []

    def predict(self, texts):
        self.calls.append(list(texts))
        return self.model.predict(texts)


def test_views_are_made_only_when_read():
    parsed = parse(Post(text="Printing is down in the Library. Sorry, we are on it."))
    assert not any(parsed.computed(v) for v in ("urls", "profanity", "scores", "sentence_scores"))
    assert parsed.profanity == []
    assert parsed.computed("profanity") and parsed.computed("urls")
    assert not parsed.computed("scores")


def test_urls_are_twitter_texts_and_scheme_urls_of_any_host():
    text = "Status: bit.ly/status, https://jira.corp/browse/IT-1 and http://10.0.0.5/x. Or www.wiki.local."
    parsed = parse(Post(text=text))
    assert [text[s:e] for s, e in parsed.urls] == [
        "bit.ly/status", "https://jira.corp/browse/IT-1", "http://10.0.0.5/x", "www.wiki.local"
    ]


def test_urls_are_spans_of_the_checkable_text():
    text = "**Down:** see [the page](https://status.example.ac.uk) or https://status.example.ac.uk/now"
    parsed = parse(Post(text=text, format="markdown"))
    assert [parsed.text[s:e] for s, e in parsed.urls] == ["https://status.example.ac.uk/now"]


def test_post_scores_score_a_batch_in_one_pass_and_fill_each_view():
    model = _CountingModel()
    posts = [parse(Post(text=t)) for t in ("The VPN is back.", "You idiots broke it again!")]
    scores = post_scores(model, posts)
    assert model.calls == [["The VPN is back.", "You idiots broke it again!"]]
    assert [p.scores for p in posts] == scores
    assert scores[1]["toxicity"] > scores[0]["toxicity"]
    assert post_scores(model, posts) == scores and len(model.calls) == 1  # made once


def test_sentence_scores_batch_every_sentence_of_every_post():
    model = _CountingModel()
    posts = [parse(Post(text="Wi-Fi is down. We are on it.")), parse(Post(text="Fixed. Thanks all."))]
    rows = score_sentences(model, posts)
    assert model.calls == [["Wi-Fi is down.", "We are on it.", "Fixed.", "Thanks all."]]
    assert [[(a, b) for a, b, _ in r] for r in rows] == [[(0, 14), (15, 28)], [(0, 6), (7, 18)]]
    assert posts[0].sentence_scores is rows[0]


def test_the_lazy_view_equals_the_batched_one():
    text = "This is the third outage this week. Useless."
    alone = parse(Post(text=text))
    batched = parse(Post(text=text))
    post_scores(load_text_model(), [batched])
    assert alone.scores == batched.scores
    assert alone.sentence_scores == score_sentences(load_text_model(), [batched])[0]
