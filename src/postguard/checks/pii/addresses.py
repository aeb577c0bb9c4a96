"""Street addresses and dates of birth: regexes, since presidio has neither."""

from __future__ import annotations

import re

from postguard.checks.pii.hits import Hit
from postguard.checks.pii.recognizers import DIGIT

_STREET_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Court|Ct|Boulevard|Blvd|Place|Pl|"
    r"Terrace|Crescent|Cres|Gardens|Grove|Square|Sq|Parkway|Pkwy|Highway|Hwy|Row|Walk|Mews|Hill|"
    r"Park|Rise|View|Green|Vale|Circle|Cir|Trail|Alley|Union|Plaza|Terr|Ter|Loop|Path|Pike|Route)"
)
_STREET = re.compile(
    r"\b(?:(?:Flat|Apt\.?|Apartment|Suite|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{1,5}[A-Za-z]?,?\s+"
    r"(?:[A-Z][\w'’.-]*\s+){0,3}" + _STREET_SUFFIX + r"\b\.?"
    r"(?:,?\s+(?:Apt\.?|Suite|Unit|Flat)\s*\d+[A-Za-z]?)?"
)
_DOB = re.compile(
    r"(?i:\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday(?:\s+is)?)\s*[:\-]?\s*)"
    r"(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)


_ADDRESS_CUE = re.compile(
    r"(?i:\b(?:lives?|lived|living|stay(?:s|ing)?|moved|located|based|offices?\s+(?:are|is)(?:\s+located)?|"
    r"restaurant\s+is|meet\s+(?:me|you|us)|stop|pick\s+(?:me|us)\s+up|drop\s+(?:it|me)\s+off)\s+(?:at|in|on|to)|"
    r"(?:north|south|east|west)\s+side\s+of|corner\s+of|send\s+(?:\S+\s+){0,4}?to|deliver(?:ed)?\s+(?:\S+\s+){0,3}?to|"
    r"address(?:\s+of\s+[^\n,]{1,40}?)?\s+(?:is|was)|address\s*:|addr\s*:|validate\s+the\s+following\?)\s*"
)
_ADDRESS_STOP = re.compile(r"[?!]|\n\s*\n|\.\s+(?=[A-Z][a-z])|\s+(?:after|for a|for the|the first|and I|but)\b|$")
_ADDRESS_LINE = re.compile(
    r"(?m)(?:^[ \t>]*\d{1,6}[A-Za-z]?\s+\S.*|(?:^[ \t>]*|\b)(?:Apt\.?|Suite|Unit|Flat|PSC|P\.?O\.? Box)\s*\d.*)$"
)
_HOUSE_NUMBER = re.compile(r"\b\d{1,6}(?!(?:st|nd|rd|th|pm|am|s)\b)[A-Za-z]?\b(?![:.]\d)", re.IGNORECASE)
_CONTINUATION = re.compile(r"\n([^\n]{1,45})")


#: continental streets, the house number after the name: "Loorenstrasse 149", "Rua João Pessoa 1636"
_STREET_EU = re.compile(
    r"\b(?:[A-ZÀ-Þ][\w'’-]*\s+){0,2}[A-ZÀ-Þ][\w'’-]*(?:vej|gade|gate|gata|gatan|vägen|väg|veien|vei|"
    r"strasse|straße|str\.|weg|laan|straat|steeg|plein|katu|tie|utca|útja|út|ulica)\s+\d{1,4}[A-Za-z]?\b"
    r"|(?:\b(?:Rue|Via|Viale|Calle|Avenida|Rua|Travessa|Largo|Piazza|Plaza|Carrer|Ul\.|ul\.|ulica|Ulica)|\bC/)\s+"
    r"(?:(?:de|da|do|dos|das|del|della|di|des|du|la|le|los|las)\s+|[A-ZÀ-Þ][\w'’.-]*\s+){1,5}\d{1,4}[A-Za-z]?\b"
)


def street_addresses(text: str) -> list[Hit]:
    hits = [Hit("STREET_ADDRESS", m.start(), m.end(), 0.7) for m in _STREET.finditer(text)]
    if DIGIT.search(text) is not None:
        hits.extend(Hit("STREET_ADDRESS", m.start(), m.end(), 0.7) for m in _STREET_EU.finditer(text))
    for m in _ADDRESS_CUE.finditer(text):
        start = m.end()
        stop = _ADDRESS_STOP.search(text, start)
        end = min(stop.start() if stop else len(text), start + 160)
        chunk = text[start:end]
        # an address starts like one (a number, a capitalised name, "the corner of") and has a house
        # or flat number (not an ordinal or a time) or is a short run of capitalised words
        if not re.match(r"[A-Z0-9]|the\s+corner\b", chunk):
            continue
        if _HOUSE_NUMBER.search(chunk) or re.fullmatch(r"(?:[A-Z][\w'’.-]*[\s,]+){1,5}(?:St|Rd|Ave)?\.?", chunk + " "):
            hits.append(Hit("STREET_ADDRESS", start, end, 0.6))
    # a block of address lines: house number line, then short lines (flat, town, country postcode)
    for m in _ADDRESS_LINE.finditer(text):
        end = m.end()
        lines = 1
        while (line := _CONTINUATION.match(text, end)) is not None:
            body = line.group(1)
            # a sentence stops the block; "Apt. 123" does not
            if not re.search(r"\w", body) or re.search(r"[?!:;]|\.\s[^\W\d]", body):
                break
            end = line.end()
            lines += 1
        if lines >= 3 or re.search(r"\b(?:Apt|Suite|Box)\b", text[m.start() : end]):
            hits.append(Hit("STREET_ADDRESS", m.start(), end, 0.6))
    return hits


def dates_of_birth(text: str) -> list[Hit]:
    return [Hit("DATE_OF_BIRTH", m.start(1), m.end(1), 0.85) for m in _DOB.finditer(text)]

