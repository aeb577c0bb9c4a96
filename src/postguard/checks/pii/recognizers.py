"""presidio recognizers: its own, bounded or validated offline, and postguard's (UK/EU IDs, phones, postcodes)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from postguard.checks.pii.phones import organisation_line as _organisation_line
from postguard.checks.pii.phones import phone_numbers as _phone_numbers

# No network: presidio's email validator calls tldextract, which fetches the public suffix list.


@functools.lru_cache(maxsize=1)
def offline_tldextract():
    """A tldextract that only uses the suffix-list snapshot bundled in the package (no fetch, no cache)."""
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def private_ip(s: str) -> bool:
    from postguard.checks.secrets import _private_ip as private

    return private(s)


def _has_public_suffix(host: str) -> bool:
    return offline_tldextract()(host).fqdn != ""


# Extra recognizers (presidio classes, so presidio's context enhancement and scoring apply).


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _nhs_ok(digits: str) -> bool:
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(c) * w for c, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def build_recognizers(regions: Sequence[str], id_patterns: Sequence[Mapping[str, Any]]) -> list[Any]:
    from presidio_analyzer import (
        AnalysisExplanation,
        EntityRecognizer,
        Pattern,
        PatternRecognizer,
        RecognizerResult,
    )
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        SpacyRecognizer,
        UkNinoRecognizer,
        UsSsnRecognizer,
    )

    class PostguardEmailRecognizer(EmailRecognizer):
        """presidio's email recognizer, validating the domain against the bundled suffix list."""

        # presidio's pattern with the local part bounded at 64 characters (RFC 5321's limit):
        # unbounded, a long run such as "a.a.a…" with no address in it is retried from every word
        # boundary to its end (4,000 characters: 1.8 s; 10,000: 29 s); bounded, it is linear.
        PATTERNS = [
            Pattern(
                "Email (Medium)",
                r"\b((([!#$%&'*+\-/=?^_`{|}~\w])|([!#$%&'*+\-/=?^_`{|}~\w][!#$%&'*+\-/=?^_`{|}~\.\w]{0,62}"
                r"[!#$%&'*+\-/=?^_`{|}~\w]))[@]\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+)\b",
                0.5,
            )
        ]

        def validate_result(self, pattern_text: str) -> bool:
            return _has_public_suffix(pattern_text.rpartition("@")[2])

    class PostguardCardRecognizer(CreditCardRecognizer):
        """12-19 digits in groups, issuer prefixes 2-6 (Mastercard 2-series too), Luhn-checked."""

        PATTERNS = [Pattern("card", r"\b[2-6]\d{3}(?:[- ]?\d){8,15}\b", 0.5)]

        def __init__(self) -> None:
            super().__init__(patterns=self.PATTERNS)

        def validate_result(self, pattern_text: str) -> bool:
            digits = re.sub(r"\D", "", pattern_text)
            return 12 <= len(digits) <= 19 and len(set(digits)) > 1 and _luhn(digits)

    class PostguardNhsRecognizer(PatternRecognizer):
        """Ten digits with the mod-11 check digit, and NHS context near them: the checksum alone
        passes one number in eleven, so "415-555-0199" would otherwise be someone's NHS number."""

        def validate_result(self, pattern_text: str) -> bool:
            return _nhs_ok(re.sub(r"\D", "", pattern_text))

        def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
            results = super().analyze(text, entities, nlp_artifacts, regex_flags)
            return [r for r in results if _NHS_CONTEXT.search(text, max(0, r.start - 60), min(len(text), r.end + 30))]

    class PostguardPhoneRecognizer(EntityRecognizer):
        """libphonenumber over the text, each national number read in the first region that validates it."""

        def __init__(self) -> None:
            super().__init__(supported_entities=["PHONE_NUMBER"], name="PostguardPhoneRecognizer",
                             context=["phone", "tel", "telephone", "mobile", "cell", "call", "ring",
                                      "text", "whatsapp", "fax", "desk", "contact", "number"])

        def load(self) -> None:
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            if len(DIGIT.findall(text)) < 7:
                return []
            out = []
            for m in _PHONE_IN_CONTEXT.finditer(text):
                if 7 <= len(DIGIT.findall(m.group(1))) <= 15 and not _organisation_line(m.group(1), regions):
                    why = AnalysisExplanation("PostguardPhoneRecognizer", 0.6, textual_explanation="phone context")
                    out.append(RecognizerResult("PHONE_NUMBER", m.start(1), m.end(1), 0.6, why))
            for start, end, score in _phone_numbers(text, regions):
                why = AnalysisExplanation("PhoneRecognizer", score, textual_explanation="libphonenumber")
                out.append(RecognizerResult("PHONE_NUMBER", start, end, score, why))
            return out

    # (class names differ from presidio's: its YAML loader looks recognizer classes up by name)
    recognizers: list[Any] = [
        SpacyRecognizer(supported_entities=["PERSON", "LOCATION"], ner_strength=0.85),
        PostguardEmailRecognizer(),
        PostguardCardRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        UkNinoRecognizer(),
        UsSsnRecognizer(),
        PostguardNhsRecognizer(
            supported_entity="UK_NHS",
            name="NhsRecognizer",
            patterns=[Pattern("NHS", r"\b\d{3}[- ]?\d{3}[- ]?\d{4}\b", 0.5)],
            context=["nhs", "health service", "patient", "hospital", "gp"],
        ),
        PatternRecognizer(
            supported_entity="POSTCODE",
            name="UkPostcodeRecognizer",
            patterns=[Pattern("UK postcode", _UK_POSTCODE, 0.6)],
            context=["postcode", "post code", "address", "delivery", "lives", "live"],
            global_regex_flags=re.MULTILINE,
        ),
        PatternRecognizer(
            supported_entity="POSTCODE",
            name="ZipRecognizer",
            patterns=[
                Pattern("zip after a cue", r"(?i:\bzip(?:\s*code)?\s*(?:is|:|#)?\s*)(\d{3,5}(?:-\d{3,4})?)\b", 0.6),
            ],
            global_regex_flags=re.MULTILINE,
        ),
        PostguardPhoneRecognizer(),
    ]
    for spec in id_patterns:
        recognizers.append(
            PatternRecognizer(
                supported_entity=spec["entity"],
                name=f"IdPattern:{spec['entity']}",
                patterns=[Pattern(spec["entity"], spec["pattern"], float(spec.get("score", 0.6)))],
                context=list(spec.get("context", [])) or None,
                global_regex_flags=re.MULTILINE | (0 if spec.get("case_sensitive", True) else re.IGNORECASE),
            )
        )
    return recognizers


DIGIT = re.compile(r"\d")
_NHS_CONTEXT = re.compile(r"(?i:\bnhs\b|national\s+health|health\s+service|\bchi\s+number)")
_PHONE_IN_CONTEXT = re.compile(
    r"(?i:\b(?:phone|mobile|mob|cell|tel|telephone|fax|desk|call|ring|text|whatsapp|sms|messages?\s+to|"
    r"registered|contact|number)\b(?:\s*(?:no\.?|number|is|on|at|me|us|them|him|her|:|-))*\s*)"
    r"(\+?\(?\d[\d\s().-]{5,18}\d(?:\s*(?:x|ext\.?)\s*\d{1,5})?)"
)
_UK_POSTCODE = (
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9ABCDEFGHJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
