"""ParsedPost: the checkable text of a Post, its offset map, and one shared spaCy Doc."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from postguard.errors import InputError, one_of
from postguard.findings import Finding
from postguard.markup import Link, Piece, extract
from postguard.normalization import OffsetMap, fold
from postguard.post import FORMATS, Post
from postguard.source import SourceView, source_view

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from postguard.checks.profanity import Match

#: A text-model score for each head ("toxicity", "anger", ...).
Scores = dict[str, float]
#: ``(start, end, scores)`` of each sentence of ``ParsedPost.text``.
SentenceScores = list[tuple[int, int, Scores]]


class ParsedPost:
    """What every check reads. Built once per post; the spaCy Doc is made only when asked for.

    Values shared between checks are typed, lazily computed views, each owned by one module
    (``urls``: platforms.urls; ``profanity``: checks.profanity; ``scores``, ``sentence_scores``:
    models, which fills them for a whole batch at once; ``source``, the leak view: source).
    """

    def __init__(
        self,
        post: Post,
        text: str,
        offsets: OffsetMap,
        links: list[Link],
        nlp: "Callable[[str], Doc] | None" = None,
        pieces: "list[Piece] | None" = None,
    ) -> None:
        self.post = post
        #: The checkable text: prose only, Unicode-folded for matching.
        self.text = text
        self.offsets = offsets
        #: Link targets found in Markdown/HTML markup (not part of ``text``).
        self.links = links
        self._doc: Doc | None = None
        self._nlp = nlp
        self._pieces = pieces if pieces is not None else [Piece(0, len(post.text))]

    @property
    def original(self) -> str:
        return self.post.text

    @property
    def doc(self) -> "Doc":
        """The shared spaCy parse of ``text``, made on first use."""
        if self._doc is None:
            if self._nlp is None:
                from postguard.nlp import parse

                self._nlp = parse
            self._doc = self._nlp(self.text)
        return self._doc

    def set_doc(self, doc: "Doc") -> None:
        """Attach a Doc made elsewhere (by a batched ``nlp.pipe``)."""
        if doc.text != self.text:
            raise ValueError("the Doc was made from other text")
        self._doc = doc

    @property
    def has_doc(self) -> bool:
        return self._doc is not None

    @cached_property
    def source(self) -> SourceView:
        """The leak view: code, comments, tags and attributes, link targets and front matter,
        in original offsets (empty for plain text, which is all prose)."""
        return source_view(self.post.text, self.post.format, self._pieces)

    @cached_property
    def urls(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each URL in ``text``: twitter-text's, and scheme URLs of any host."""
        from postguard.platforms.urls import find_urls

        return find_urls(self.text, any_host=True)

    @cached_property
    def profanity(self) -> "list[Match]":
        """The shipped word list's matches in ``text`` (offsets into ``text``), URLs left out."""
        from postguard.checks.profanity import default_matcher

        return default_matcher().find(self.text, self.urls)

    @cached_property
    def scores(self) -> Scores:
        """The shipped text model's score of the whole post (``models.post_scores`` batches it)."""
        from postguard.models import load_text_model, post_scores

        return post_scores(load_text_model(), [self])[0]

    @cached_property
    def sentence_scores(self) -> SentenceScores:
        """Each sentence with its text-model scores (``models.score_sentences`` batches it)."""
        from postguard.models import load_text_model, score_sentences

        return score_sentences(load_text_model(), [self])[0]

    def computed(self, view: str) -> bool:
        """Whether the lazily computed view ``view`` has been computed for this post."""
        return view in self.__dict__

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` for a span of the checkable text."""
        return self.offsets.span(start, end)

    def finding(self, start: int, end: int, **fields: Any) -> Finding:
        """A Finding for the checkable span ``[start, end)``, with offsets into the original."""
        ostart, oend = self.offsets.span(start, end)
        return Finding(start=ostart, end=oend, excerpt=self.post.text[ostart:oend], **fields)

    def original_finding(self, start: int, end: int, **fields: Any) -> Finding:
        """A Finding for a span given directly in original offsets."""
        return Finding(start=start, end=end, excerpt=self.post.text[start:end], **fields)


def parse(post: Post, nlp: "Callable[[str], Doc] | None" = None) -> ParsedPost:
    """Extract the prose of ``post`` for its format and fold it for matching."""
    if post.format not in FORMATS:
        raise InputError(f"format {one_of(post.format, FORMATS)}")
    pieces, links = extract(post.text, post.format)
    text, offsets = fold(post.text, pieces)
    return ParsedPost(post, text, offsets, links, nlp, pieces)
