"""Names: a second pass over the NER's PERSON spans (common words, handles, organisations) and names it missed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from postguard.checks.pii.hits import Hit
from postguard.checks.pii.lists import common_words, name_featurizer, name_lists, place_names, plain_words
from postguard.errors import PolicyError, one_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

class NameFinder:
    """Second pass over spaCy's PERSON spans: drop common words and handles, add names spaCy missed.

    Given names and surnames come from lists shipped in ``postguard/data`` (the 1990 US Census
    lists and the names of every locale of faker and mimesis; see its README); a word in spaCy's
    English lemma index (WordNet) counts as a common word, not a name, unless a surname follows it.
    """

    TITLES = frozenset("mr mrs ms miss mx dr prof sir dame lord lady rev fr sr jr".split())
    CUES = re.compile(
        r"(?i:\b(?:my name is|name\s*:|i am|i'm|dear|hi|hello|hey|thanks|thank you|by|with|"
        r"signed|regards|cheers|ask for|speak to|talk to|meet|call|email|message)\s*,?\s*)$"
    )

    NER = ("both", "crf", "spacy")

    def __init__(self, config: Mapping[str, Any]) -> None:
        keys = ["gazetteer", "ner", "threshold", "model"]
        unknown = sorted(set(config) - set(keys))
        if unknown:
            raise PolicyError(f"checks.pii.names: unknown setting {one_of(unknown[0], keys)}")
        self.threshold = float(config.get("threshold", 0.3))
        self.gazetteer = bool(config.get("gazetteer", True))
        self.ner = str(config.get("ner", "both"))
        if self.ner not in self.NER:
            raise PolicyError(f"checks.pii.names.ner: {one_of(self.ner, self.NER)}")
        self.first, self.last = name_lists() if self.gazetteer else (frozenset(), frozenset())
        self.words = common_words()
        self.places = place_names() if self.gazetteer else frozenset()
        self.plain = plain_words()
        self.tagger = None
        if self.ner != "spacy":
            from postguard.checks.pii.tagger import NameTagger, model_available

            model = config.get("model")
            if model is None and not model_available():
                raise PolicyError("checks.pii.names.ner needs the shipped name model; use ner: spacy")
            try:
                self.tagger = NameTagger(name_featurizer(), model)
            except OSError as exc:
                raise PolicyError(f"checks.pii.names.model: cannot open {model!r}: {exc}") from None

    def entities(self, doc: "Doc") -> tuple[list[tuple[int, int, str]], set[tuple[int, int]]]:
        """PERSON/LOCATION spans for presidio (the tweet-trained CRF, spaCy's NER, or both), and
        the CRF's spans, which skip ``review``: the CRF learnt from tweets what the review rules
        approximate for spaCy."""
        spacy_spans = [
            (e.start_char, e.end_char, _SPACY_TO_PRESIDIO[e.label_]) for e in doc.ents if e.label_ in _SPACY_TO_PRESIDIO
        ]
        if self.tagger is None:
            return spacy_spans, set()
        crf = self.tagger.spans(doc, self.threshold)
        trusted = {(a, b) for a, b, _ in crf}
        if self.ner == "crf":
            return crf, trusted
        return crf + [s for s in spacy_spans if not any(s[0] < c[1] and c[0] < s[1] for c in crf)], trusted

    def is_common(self, word: str) -> bool:
        return word.lower() in self.words

    def _lower_name(self, doc: "Doc", i: int) -> int:
        """End of a name written in lower case from token ``i`` ("eva kleist", "benjamin a seiler"), or ``i``.

        Only a given name that is no English word, and no place, starts one, and a surname must follow."""
        w = doc[i].text
        if w in self.words or w.title() not in self.first or w in self.places:  # most are common words
            return i
        j = i + 1
        if j + 1 < len(doc) and len(doc[j].text.rstrip(".")) == 1 and doc[j].text[:1].isalpha():
            j += 1  # a middle initial
        nxt = doc[j].text if j < len(doc) else ""
        if nxt.islower() and nxt.isalpha() and nxt.title() in self.last and not self.is_common(nxt):
            return j + 1
        # (a lone lower-case given name as well was measured: synth +0.002, BTC -0.003 for more FPs)
        return i

    def find(self, doc: "Doc", hits: Sequence[Hit]) -> list[Hit]:
        if not self.gazetteer:
            return []
        out: list[Hit] = []
        n = len(doc)
        i = 0
        text = doc.text
        while i < n:
            t = doc[i]
            w = t.text
            if w.islower() and w.isalpha() and len(w) > 2 and not t.is_stop:
                j = self._lower_name(doc, i)
                if j > i:
                    out.append(Hit("PERSON", t.idx, doc[j - 1].idx + len(doc[j - 1].text), 0.6))
                    i = j
                    continue
            if not (w[:1].isupper() and w.isalpha() and len(w) > 1) or t.is_stop:
                i += 1
                continue
            key = w.title()
            title_before = i > 0 and (doc[i - 1].lower_.rstrip(".") in self.TITLES or (
                i > 1 and doc[i - 1].text == "." and doc[i - 2].lower_ in self.TITLES))  # "Ms . Gaynes"
            first = key in self.first
            if not (first or title_before):
                i += 1
                continue
            # extend over middle initials and capitalised surnames
            j = i + 1
            while j < n:
                nxt = doc[j].text
                if re.fullmatch(r"[A-Z]\.?", nxt) and j + 1 < n and doc[j + 1].text[:1].isupper():
                    j += 1
                    continue
                if nxt[:1].isupper() and nxt.replace("-", "").replace("'", "").isalpha() and not doc[j].is_stop \
                        and (nxt.title() in self.last or not self.is_common(nxt)):
                    j += 1
                    continue
                break
            span_len = j - i
            ok = (
                span_len > 1
                or title_before
                or (first and not self.is_common(w))
                or (first and self.CUES.search(text[: t.idx].rstrip() + " ") is not None)
            )
            if span_len == 1 and t.ent_type_ in ("GPE", "LOC", "FAC"):
                ok = False
            if ok and not (span_len > 1 and all(self.is_common(doc[k].text) for k in range(i, j))):
                out.append(Hit("PERSON", t.idx, doc[j - 1].idx + len(doc[j - 1].text), 0.7))
                i = j
            else:
                i += 1
        return out

    def hashtags(self, text: str) -> list[Hit]:
        """#AlanPardew names a person and #gaza a place (handles are skipped; hashtags are not
        accounts): CamelCase parts with a given name then a surname, or one known place."""
        if not self.gazetteer or "#" not in text:
            return []
        out = []
        for m in _HASHTAG.finditer(text):
            body = m.group(1)
            parts = _CAMEL_PARTS.findall(body)
            titled = [p.title() for p in parts]
            if len(parts) >= 2 and (any(
                a in self.first and (b in self.last or b in self.first or not self.is_common(b))
                and not self.is_common(a)
                for a, b in zip(titled, titled[1:])
            ) or (titled[0] == "Team" and titled[1] in self.first and not self.is_common(titled[1]))):
                # a surname missing from the lists counts when it is no English word; "#TeamPhil" is
                # the person a team cheers on
                out.append(Hit("PERSON", m.start(), m.end(), 0.6))
            elif len(body) > 3 and (
                body.lower() in self.places
                or any(len(p) > 3 and p.lower() in self.places and p.lower() not in self.plain for p in parts)
                or any(f"{a} {b}".lower() in self.places for a, b in zip(parts, parts[1:]))
            ):
                out.append(Hit("LOCATION", m.start(), m.end(), 0.6))
        return out

    #: words that come before a name, never part of it ("Call Jane", "Hello Fernando", "Thank you Sam")
    LEAD = frozenset(
        "hi hiya hello hey dear thanks thank you cheers congrats congratulations welcome call ring phone "
        "text email e-mail message msg ask tell cc meet contact ping dm".split()
    )

    def unlead(self, text: str, h: Hit) -> Hit:
        """A name span never swallows the word before it: "Call Jane" is ``Jane``."""
        if h.entity not in ("PERSON", "LOCATION"):
            return h
        start = h.start
        for _ in range(2):
            m = _LEAD_WORD.match(text, start, h.end)
            if m is None:
                break
            word = m.group(1)
            if word.lower() not in self.LEAD:
                break
            start = m.start(2)
        rest = text[start : h.end]
        if start == h.start or not rest[:1].isupper():
            return h
        entity = "PERSON" if (h.entity == "LOCATION" and rest.title() in self.first) else h.entity
        return replace(h, entity=entity, start=start)

    def settle(self, text: str, h: Hit) -> "Hit | None":
        """For every name/place span: organisations ("Reed Orchestra", "Acme Ltd") are neither.

        (Relabelling "places" made only of given names and surnames as people was measured: it
        helped the synthetic set and hurt real tweets, so it is not done.)"""
        if h.entity not in ("PERSON", "LOCATION"):
            return h
        span = text[h.start : h.end]
        words = span.split()
        nxt = text[h.end : h.end + 30].split()[:1]
        if (words and words[-1].lower().strip(".,") in _ORG_WORDS) or (nxt and nxt[0].lower().strip(".,") in _ORG_WORDS):
            return None
        if h.entity == "PERSON" and (
            _NOT_A_NAME.search(span) or (len(words) == 1 and span.lower().strip(".,!?") in _NEVER_NAMES)
        ):
            return None
        if h.entity == "PERSON" and len(words) > 1 and words[-1] in _STREET_WORDS:
            # "Isaac Lodge Street" is a street named after someone
            return replace(h, entity="LOCATION")
        if (h.entity == "PERSON" and span.lower() in self.places
                and not any(w.title() in self.first or w.title() in self.last for w in words)):
            # "Shenzhen", "Glenwood Springs": a known place with no given name or surname in it
            return replace(h, entity="LOCATION")
        return h

    def review(self, text: str, h: Hit) -> "Hit | None":
        """Drop NER spans that are not names or places (common words, shouting, "RT", hashtag-like
        CamelCase), and relabel a "person" that is a known place."""
        if h.entity not in ("PERSON", "LOCATION"):
            return h
        span = text[h.start : h.end]
        if _NOT_A_NAME.search(span) or _CAMEL.search(span) or re.search(r"\s-|-\s|-$", span):
            return None
        words = [w for w in re.split(r"[\s'’]+", span) if len(w.rstrip(".")) > 1 and w.lower() != "s"]
        if not words:
            return None
        if h.entity == "LOCATION":
            if span.lower() in self.places:
                return h
            if len(words) == 1 and (self.is_common(span) or span.islower() or (span.isupper() and len(span) <= 3)):
                return None
            return h
        named = [w.title() in self.first or w.title() in self.last for w in words]
        common = [self.is_common(w) for w in words]
        if len(words) == 1:
            w = words[0]
            if span.lower() in self.places and w.title() not in self.first:
                return Hit("LOCATION", h.start, h.end, h.score, h.rule)
            if common[0] and w.title() not in self.first:
                return None
            if w.isupper() and (len(w) <= 3 or not named[0]):
                return None
            if w.islower() and not (named[0] and not common[0]):
                return None
            return h
        if all(w.islower() or w.isupper() for w in words) and not all(named):
            return None
        if common[0] and not named[0]:
            return None
        # "Justin Bieber Supra Shoes": keep the name, not the words spaCy ran on into
        for k, (c, n) in enumerate(zip(common, named)):
            if c and not n and k > 0:
                cut = span.find(words[k])
                end = h.start + len(span[:cut].rstrip())
                return Hit(h.entity, h.start, end, h.score, h.rule) if end > h.start else None
        return h


_LEAD_WORD = re.compile(r"([A-Za-z][\w-]*)[\s,]+([A-Za-z][\w'’-]*)")


_HASHTAG = re.compile(r"(?<![\w#])#([A-Za-z][A-Za-z0-9]{2,40})\b")
_CAMEL_PARTS = re.compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])")
#: words tweets capitalise that are never someone's name on their own
_NEVER_NAMES = frozenset(
    "god lord jesus allah mom mum mam mommy mummy dad daddy papa mama mother father grandma grandpa "
    "nan nana gran granny bro bruh sis babe baby bae hun mate dude sir madam "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight yesterday "
    "christmas xmas easter halloween lol omg haha lmao rofl wow yay ok okay thanks hi hello hey yo "
    # the names of the fields personal data is written in
    "iban bic swift pin ssn dob nino vat".split()
)
_ORG_WORDS = frozenset(
    "inc ltd llc plc corp corporation company co group holdings investments partners orchestra band "
    "fc bank insurance foundation institute association society agency labs systems solutions "
    "technologies media records".split()
)
#: a named school, hospital or station is a place (and next to a child's name, a sensitive one)
_STREET_WORDS = frozenset("Street St Road Rd Avenue Ave Boulevard Blvd Drive Terrace Crescent Square Bypass".split())
_CAMEL = re.compile(r"(?<!\bMc)(?<!\bMac)(?<!\bDe)(?<!\bLa)(?<!\bLe)(?<!\bDi)(?<!\bDu)[a-z][A-Z]")
_NOT_A_NAME = re.compile(r"[@\d/]|http|\b(?:RT|MT|via|Via)\b|(\w)\1\1")
_SPACY_TO_PRESIDIO = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}
