"""The pii check: presidio over the shared spaCy parse, tuned for staff posts, risk by combination."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.checks.pii.addresses import dates_of_birth, street_addresses
from postguard.checks.pii.analyzer import build_analyzer
from postguard.checks.pii.entities import (
    DEFAULT_REGIONS,
    DEFAULT_SENSITIVE,
    DEFAULT_SEVERITY,
    LABELS,
    MASK_KEEP,
    PRIORITY,
    RISK_CLASS,
    RISK_CLASSES,
)
from postguard.checks.pii.hits import Hit, in_handle, resolve, trim
from postguard.checks.pii.ids import identifiers
from postguard.checks.pii.names import NameFinder
from postguard.checks.pii.organisation import OrganisationTerms, addressed, is_role_mailbox
from postguard.checks.pii.places import PlaceFinder, named_places
from postguard.checks.pii.recognizers import DIGIT, private_ip
from postguard.errors import PolicyError, one_of
from postguard.platforms.urls import find_urls
from postguard.findings import Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

CONFIG_KEYS = ("region", "severity", "sensitive_context", "id_patterns", "entities", "min_score", "names")
_HIDDEN_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER")
_EMAILISH = re.compile(r"[\w.+'-]@[\w-]")
#: the score presidio's NLP recognizer gives a name span (NlpArtifacts' default)
_NER_SCORE = 0.85
#: fewest digits each number recognizer can match
_MIN_DIGITS = (("POSTCODE", 1), ("IP_ADDRESS", 4), ("UK_NINO", 6), ("PHONE_NUMBER", 7), ("IBAN_CODE", 8),
               ("US_SSN", 9), ("UK_NHS", 10), ("CREDIT_CARD", 12))


class PiiCheck(BaseCheck):
    """``pii.<entity>``: someone's personal data in a post, graded by what else is with it."""

    name = "pii"
    needs_doc = True
    # Names and places come from these (names.py, places.py). The name CRF also reads the other
    # labels as features where the recogniser ran, yet the PII figures hold without them outside
    # the gate's sentences (ner_windows.py).
    entity_labels = frozenset({"PERSON", "GPE", "LOC", "FAC"})

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        self.reject_unknown_settings(CONFIG_KEYS)
        self.regions = _regions(config.get("region", DEFAULT_REGIONS))
        from postguard.nlp import import_presidio, import_spacy

        import_spacy()  # before presidio imports it the slow way
        import_presidio()
        self.severity = self.read_severities(DEFAULT_SEVERITY)
        self.min_score = float(config.get("min_score", 0.5))
        words = tuple(config.get("sensitive_context") or ()) + DEFAULT_SENSITIVE
        self.sensitive = re.compile(
            r"\b(?:" + "|".join(sorted({re.escape(w.lower()) for w in words}, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )
        self.id_patterns = _id_patterns(config.get("id_patterns") or [])
        self.risk = dict(RISK_CLASS)
        self.labels = dict(LABELS)
        self.priority = dict(PRIORITY)
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
        self.analyzer = build_analyzer(self.regions, self.id_patterns)
        self._warm_up()

    def _warm_up(self) -> None:
        """presidio loads recognizers on first use, and the recogniser's gate its model (for this
        check's labels): do it now, not on the first post."""
        from postguard.nlp import parse_many

        text = "Jo Bloggs, jo@example.com, 0113 496 0123, 4111 1111 1111 1111, AB 12 34 56 C"
        self.detect(text, parse_many([text], labels=self.entity_labels)[0])

    # ------------------------------------------------------------------ run

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        hits = self.detect(parsed.text, parsed.doc, parsed.urls)
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
                    and (e != "PHONE_NUMBER" or len(DIGIT.findall(seg.text)) >= 7)]
            if not ents:
                continue
            # a tokenizer-only Doc of the segment: the shared parse holds the prose only
            artifacts = self.analyzer.nlp_engine.artifacts(load_nlp().make_doc(seg.text))
            results = self.analyzer.analyze(
                seg.text, "en", entities=ents, nlp_artifacts=artifacts, score_threshold=self.min_score
            )
            out += [Hit(r.entity_type, seg.start + r.start, seg.start + r.end, r.score) for r in results]
        text = parsed.original
        return [h for h in resolve(out, self.priority)
                if not (h.entity == "EMAIL_ADDRESS" and is_role_mailbox(text[h.start : h.end], self.mailboxes))]

    def _possible(self, text: str) -> list[str]:
        """Entities the text could hold at all: most posts have too few digits for any number
        recognizer, so presidio is only asked for what can match (it is the bulk of the time)."""
        digits = len(DIGIT.findall(text))
        ents = ["PERSON", "LOCATION", *(spec["entity"] for spec in self.id_patterns)]
        if "@" in text and _EMAILISH.search(text):  # an @handle is no email
            ents.append("EMAIL_ADDRESS")
        for entity, need in _MIN_DIGITS:
            if digits >= need:
                ents.append(entity)
        if text.count(":") >= 2:
            ents.append("IP_ADDRESS")
        return sorted(set(ents))

    def detect(self, text: str, doc: "Doc", urls: "list[tuple[int, int]] | None" = None) -> list[Hit]:
        """Every personal-data span in ``text`` (parsed as ``doc``; ``urls`` its URLs, when known),
        overlaps resolved."""
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
                    if not (r.entity_type == "IP_ADDRESS" and private_ip(text[r.start : r.end]))]
        hits.extend(self.names.find(doc, hits))
        if self.places is not None:
            hits.extend(self.places.find(doc))
        hits.extend(street_addresses(text))
        hits.extend(dates_of_birth(text))
        hits.extend(Hit("ID_NUMBER", a, b, 0.8, label=label) for a, b, label in identifiers(text))
        hits = [self.names.unlead(text, trim(text, h)) for h in hits]
        hits = [
            h if (h.start, h.end) in trusted else self.names.review(text, h)
            for h in hits
            if h.end > h.start and not in_handle(text, h)
        ]
        hits = [self.names.settle(text, h) for h in hits if h is not None]
        hits = [h for h in hits if h is not None]
        hits.extend(self.names.hashtags(text))
        hits.extend(named_places(text))
        # URLs shield what is inside them (a path is no person); found as everywhere else in a post
        urls = find_urls(text, any_host=True) if urls is None else urls
        hits.extend(Hit("URL", a, b, 1.0) for a, b in urls)
        resolved = resolve(hits, self.priority)
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


def redact(entity: str, excerpt: str, labels: Mapping[str, str] = LABELS) -> str:
    """The replacement offered for a span: digits masked for numbers, a label for the rest."""
    keep = MASK_KEEP.get(entity)
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
