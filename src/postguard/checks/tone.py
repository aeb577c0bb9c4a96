"""Tone: what a communications lead would catch before an official account posts.

Model scores (``postguard.models``): ``anger``, ``negative`` and ``sarcasm`` go into
``Report.scores``; above the policy's thresholds a finding covers the sentence that carries it,
with a calmer rewrite where one can be made. Phrase patterns catch the rest: ``tone.shouting``
(runs of capitals, "!!!"), ``tone.blame`` (blaming customers or a named supplier),
``tone.dismissive`` ("as we already said", "calm down") and ``tone.hostile``: a reply that turns on
the person it answers (the grammar of dismissal, blame and put-downs in ``checks/hostility.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import regex

from postguard.checks.base import BaseCheck, Output
from postguard.checks.hostility import find_hostility
from postguard.errors import PolicyError
from postguard.findings import Score
from postguard.models import load_text_model, post_scores, score_sentences, sentence_scores

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

MODEL_KINDS = ("anger", "negative", "sarcasm")
PATTERN_KINDS = ("shouting", "blame", "dismissive", "hostile")
KINDS = MODEL_KINDS + PATTERN_KINDS
CONFIG_KEYS = ("thresholds", "warn_from", "severity", "suppliers", "acronyms")
# A model finding scoring below its ``warn_from`` is info, whatever its severity: the anger head
# cannot tell a service desk's "We know the outage is frustrating." (0.64) from a complaint, and at
# 0.5 warned on 1.4% of calm official posts (customer_care dev). 0.6 is the 99.8th percentile of
# their anger scores (one post in 500 warns); the finding itself stays, so anger recall does not move.
DEFAULT_WARN_FROM = {"anger": 0.6, "negative": 0.5, "sarcasm": 0.5}
DEFAULT_SEVERITY = {
    "anger": "warning", "negative": "info", "sarcasm": "info", "shouting": "info",
    "blame": "warning", "dismissive": "warning", "hostile": "warning",
}
_I = regex.IGNORECASE | regex.V1

_MESSAGES = {
    "anger": "This sentence reads as angry or hostile (anger {score:.2f}); an official account should stay calm.",
    "negative": "This reads as strongly negative (negative {score:.2f}); consider a more constructive framing.",
    "sarcasm": "This may read as sarcastic (sarcasm {score:.2f}); irony is easily misread from an official account.",
    "shouting": "Capitals and repeated exclamation marks read as shouting.",
    "blame": "This blames {whom} in public; acknowledge the problem and say what happens next instead.",
    "dismissive": "This can read as dismissive of the person's problem.",
    "hostile": "This turns on the person it answers.",  # each stance has its own (_HOSTILE)
}
_HOSTILE = {
    "dismiss": "This brushes the person off; say who can help or what happens next instead.",
    "belittle": "This blames or belittles the person asking; explain the fix without judging them.",
    "sarcasm": "This is a sarcastic put-down; an official reply should say plainly what to do.",
    "insult": "This insults the person it answers; an official account cannot post it.",
    "stop": "This tells the person to stop or go away; acknowledge them and say what happens next.",
    "shout": "Capitals here read as shouting at the person; write it in sentence case.",
}

# --- shouting ---------------------------------------------------------------------------------

# Common acronyms and initialisms that are not shouting, even several in a row.
_ACRONYM_LIST = (
    "AI API ASAP BBC CEO CFO COO CTO CV DIY DM DMS EU FAQ FAQS FYI GDPR HQ HR ID IT LGBT LGBTQ MP "
    "MPS NASA NATO NHS OK PDF PM PR QA RSVP SMS TBC TBD TV UK UN UNESCO UNICEF URL US USA USB VAT "
    "VIP VPN WHO WIFI WWW AM GMT UTC BST EST PST FA FIFA NBA NFL NYC LA DC PHD MBA MSC BSC GCSE "
    "GCSES RIP IOS PC PCS SQL HTML CSS JSON AWS NGO NGOS"
)
ACRONYMS = frozenset(_ACRONYM_LIST.split())
_CAPS_WORD = regex.compile(r"\b\p{Lu}[\p{Lu}'’]*\p{Lu}\b", regex.V1)
_BANGS = regex.compile(r"[!?]*!(?:[!?1]*!)+[!?1]*|[!?]{3,}", regex.V1)

# --- blame ------------------------------------------------------------------------------------

_CUSTOMER = r"(?:you|customers?|users?|people|some\s+(?:customers|users|people)|those\s+who|anyone\s+who)"
_BLAME_CUSTOMER = regex.compile(
    r"\b(?:"
    r"(?:it'?s|it\s+is|it\s+was|this\s+is|that'?s|that\s+is|this\s+was)\s+(?:entirely\s+|all\s+|completely\s+)?"
    r"(?:your|(?:the\s+)?(?:customer|user)s?'?s?)\s+(?:own\s+)?(?:fault|mistake|problem|responsibility)"
    r"|(?:you|u)\s+should\s+(?:have|'ve|of)\s+(?:read|checked|known|followed|listened|looked|paid\s+attention|backed\s+up)"
    r"|if\s+(?:only\s+)?(?:you|customers|users|people)\s+(?:had|would\s+have|would|could)\s+"
    r"(?:read|check|checked|follow|followed|listen|listened|bothered)"
    r"|(?:because|thanks)\s+(?:of|to)\s+(?:you|customers|users|people)\s+(?:who|that|not|failing|ignoring)"
    r"|(?:customers|users|people)\s+(?:who|that)\s+(?:can'?t|cannot|don'?t|didn'?t|won'?t|never|failed\s+to)\s+"
    r"(?:read|follow|listen|understand|bother)"
    r"|(?:you|customers|users)\s+(?:clearly\s+|obviously\s+)?(?:didn'?t|did\s+not|failed\s+to|never)\s+"
    r"(?:read|follow|check)\s+the\s+(?:instructions|manual|guide|faq|terms)"
    r")",
    _I,
)
_PARTY = r"(?:(?:our|the)\s+(?:supplier|vendor|contractor|provider|partner|courier|manufacturer|subcontractor)s?)"
_FAILING = (
    r"(?:fault|failure|failures|error|errors|mistake|mistakes|incompetence|negligence|screw-?up|mess|"
    r"blunder|cock-?up)"
)
_FAILED = (
    r"(?:failed(?:\s+us)?|messed\s+up|screwed\s+up|let\s+(?:us|you|everyone)\s+down|dropped\s+the\s+ball|"
    r"broke\s+it|is\s+to\s+blame|are\s+to\s+blame|caused\s+(?:this|the\s+(?:problem|outage|delay|issue)))"
)


def _blame_party(names: Sequence[str]) -> regex.Pattern:
    # A named company: explicit names from the policy, or capitalised words (Acme, Acme Logistics).
    named = r"\p{Lu}[\p{L}&.-]+(?:\s+\p{Lu}[\p{L}&.-]+){0,2}"
    if names:
        named = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True)) + "|" + named
    party = rf"(?:{_PARTY}|(?-i:{named}))"
    return regex.compile(
        r"\b(?:"
        rf"(?:blame|blaming|blamed)\s+(?:it\s+on\s+|this\s+on\s+)?{party}"
        rf"|{party}(?:'s|’s|')\s+{_FAILING}"
        rf"|{party}\s+{_FAILED}"
        rf"|(?:thanks\s+to|because\s+of|due\s+to)\s+{party}(?:'s|’s|')?\s+{_FAILING}"
        rf"|(?:this|it)\s+(?:is|was)\s+(?:all\s+)?{party}(?:'s|’s|')?\s+fault"
        r")",
        _I,
    )


# --- overpromise ------------------------------------------------------------------------------

# Promised dates, guarantees and certainties are the social pack's (rules/social/promised-date.yaml),
# with their examples: one home for each phrase.

# --- dismissive -------------------------------------------------------------------------------

# "Turn it off and on again", "user error" and "PEBKAC" are the servicedesk pack's
# (rules/servicedesk/dismissive-restart.yaml), with their examples: one home for each phrase.

_DISMISSIVE = [
    (regex.compile(r"\bas\s+(?:we|i)(?:'ve|\s+have)?\s+(?:already|previously)\s+(?:said|stated|mentioned|explained|told\s+you)"
                   r"|\bas\s+(?:we|i)\s+(?:said|explained|mentioned|stated)\s+(?:before|earlier|already|above|repeatedly)"
                   r"|\bas\s+(?:already|previously)\s+(?:stated|said|mentioned|explained)", _I),
     "as mentioned"),
    (regex.compile(r"\bper\s+(?:my|our)\s+(?:last|previous)\s+(?:email|message|tweet|post|reply)", _I),
     "following up on our last message"),
    (regex.compile(r"\b(?:just|simply)\s+(?:read|check)\s+(?:the|our)\s+(?:faq|faqs|manual|instructions|docs|website)", _I),
     "you'll find the details in our FAQ"),
    (regex.compile(r"\b(?:it'?s|it\s+is)\s+(?:really\s+)?not\s+(?:that\s+)?(?:hard|difficult|complicated|rocket\s+science)", _I),
     None),
    (regex.compile(r"\b(?:calm\s+down|relax|chill\s+out|get\s+over\s+it|deal\s+with\s+it|not\s+our\s+problem)\b", _I),
     None),
    (regex.compile(r"\bwe(?:'ve|\s+have)\s+(?:already\s+)?(?:told|explained\s+(?:this\s+)?to)\s+you\s+(?:already|before|twice|several\s+times)", _I),
     None),
    (regex.compile(r"\b(?:obviously|clearly)\s+you\s+(?:didn'?t|haven'?t|did\s+not|have\s+not)", _I), None),
    (regex.compile(r"\bwith\s+all\s+due\s+respect\b", _I), None),
]

# One pass for all of them; the group says which matched (and so the suggestion).
_DISMISSIVE_ALL = regex.compile(
    "|".join(f"(?P<d{i}>{pattern.pattern})" for i, (pattern, _) in enumerate(_DISMISSIVE)), _I
)

# --- cheap gates -------------------------------------------------------------------------------

# Each phrase pattern above needs at least one of these words (every alternative of it contains
# one), so a post without any of them skips the pattern. Searched in the case-folded text: the
# patterns match case-insensitively with full case folding. tests/checks/test_tone.py holds the
# gates to the patterns on every example there, in upper and title case too.
_GATES = {
    "blame_customer": r"fault|mistake|problem|responsibility|should|if\s|because|thanks|customers|users|"
                      r"people|instructions|manual|guide|faq|terms",
    "blame_party": r"blam|fault|failure|error|mistake|incompeten|negligen|screw|mess|blunder|cock|failed|"
                   r"let\s+(?:us|you|everyone)\s+down|dropped|broke|caused",
    "dismissive": r"said|stated|mentioned|explained|told|per\s|just|simply|hard|difficult|complicated|rocket|"
                  r"calm|relax|chill|over\s+it|deal\s+with|our\s+problem|obviously|clearly|respect",
}
_GATE = {name: re.compile(words) for name, words in _GATES.items()}


# --- acknowledging feelings -------------------------------------------------------------------

# An official reply that names the person's frustration to acknowledge it: empathy, not anger.
_ACKNOWLEDGES = regex.compile(
    r"\b(?:(?:we|i)\s+(?:completely\s+|totally\s+|fully\s+|really\s+)?(?:know|understand|appreciate|realise|realize|"
    r"hear\s+you|get\s+(?:it|that))|(?:that|this|it)\s+(?:sounds|must\s+be|can\s+be)|sorry|apologi[sz]e)\b"
    r"[^.!?]{0,60}?\b(?:frustrat\w*|annoy\w*|disappoint\w*|upset\w*|stress\w*|inconvenien\w*|worr\w*|"
    r"irritat\w*|aggravat\w*|a\s+pain|not\s+ideal|hassle)",
    _I,
)

# A question that opens by naming the reader's problem offers help ("Having trouble with your
# account?", "Locked out?"): the anger head reads the problem words (0.71 on the first).
_OFFERS_HELP = regex.compile(
    r"^\s*(?:@\w+[\s,]*)*(?:still\s+)?(?:having|got|experiencing|any|need|problems?|trouble|issues?|forgotten|forgot|"
    r"locked|lost|can'?t|cannot|struggling|stuck|unable|not\s+(?:sure|getting|receiving|able))\b(?![^?]*\byou\s+even\b)"
    r"(?!\s+you\b)[^.!?]{0,80}\?\s*$",
    _I,
)

# --- calmer rewrites --------------------------------------------------------------------------

_CALMER = {
    "ridiculous": "disappointing", "absurd": "disappointing", "pathetic": "disappointing",
    "outrageous": "frustrating", "disgusting": "unacceptable", "disgraceful": "unacceptable",
    "furious": "very concerned", "livid": "very concerned", "angry": "concerned",
    "hate": "dislike", "stupid": "unhelpful", "idiotic": "unhelpful", "dumb": "unhelpful",
    "terrible": "not good enough", "awful": "not good enough", "horrible": "not good enough",
    "useless": "unhelpful", "incompetent": "not up to standard", "joke": "letdown",
    "sick of": "frustrated by", "fed up with": "frustrated by", "rubbish": "poor",
    "crap": "poor", "worst": "weakest", "nonsense": "not right", "insane": "surprising",
}
_CALMER_RE = regex.compile(r"\b(?:" + "|".join(regex.escape(k) for k in sorted(_CALMER, key=len, reverse=True))
                           + r")\b", _I)
_INTENSIFIER = regex.compile(r"\b(?:absolutely|totally|utterly|completely|fucking|bloody|freaking|damn)\s+", _I)


def calmer(sentence: str) -> str:
    """A calmer wording: no shouting, no pile of ! or ?, hostile words softened."""
    s = _CAPS_WORD.sub(lambda m: m.group() if m.group() in ACRONYMS else m.group().lower(), sentence)
    s = _BANGS.sub(lambda m: "?" if "?" in m.group() else ".", s)
    s = _INTENSIFIER.sub("", s)
    s = _CALMER_RE.sub(lambda m: _CALMER[m.group().lower()], s)
    if s and s[0].islower() and sentence[:1].isupper():
        s = s[0].upper() + s[1:]
    return s


class ToneCheck(BaseCheck):
    """``tone.anger|negative|sarcasm`` (model) and ``tone.shouting|blame|dismissive|hostile``."""

    name = "tone"
    needs_doc = False
    category = "tone"

    def __init__(self, config: Mapping[str, Any], policy: Policy) -> None:
        super().__init__(config, policy)
        self.reject_unknown_settings(CONFIG_KEYS)
        thresholds = {k: 0.5 for k in MODEL_KINDS} | dict(config.get("thresholds") or {})
        bad = sorted(set(thresholds) - set(MODEL_KINDS))
        if bad:
            raise PolicyError(f"checks.tone.thresholds: unknown score(s) {bad}; allowed: {list(MODEL_KINDS)}")
        for k, v in thresholds.items():
            if v is not None and (not isinstance(v, (int, float)) or not 0.0 < v <= 1.0):
                raise PolicyError(f"checks.tone.thresholds.{k} must be a number in (0, 1] or null (off)")
        self.thresholds = thresholds
        warn_from = DEFAULT_WARN_FROM | dict(config.get("warn_from") or {})
        bad = sorted(set(warn_from) - set(MODEL_KINDS))
        if bad or not all(isinstance(v, (int, float)) and 0.0 < v <= 1.0 for v in warn_from.values()):
            raise PolicyError(f"checks.tone.warn_from: a number in (0, 1] per score of {list(MODEL_KINDS)}")
        self.warn_from = warn_from
        self.severity = self.read_severities(DEFAULT_SEVERITY)
        suppliers = config.get("suppliers") or []
        if not isinstance(suppliers, list) or not all(isinstance(s, str) for s in suppliers):
            raise PolicyError("checks.tone.suppliers must be a list of names")
        self.acronyms = ACRONYMS | {a.upper() for a in config.get("acronyms") or []}
        self.blame_party = _blame_party(suppliers)
        self.model = load_text_model()
        #: Skip a phrase pattern when the post lacks every word it needs (off: run them all).
        self.gated = True

    def run(self, parsed: ParsedPost) -> Iterable[Output]:
        return self.run_many([parsed])[0]

    def run_many(self, parsed: Sequence[ParsedPost]) -> list[list[Output]]:
        scores = post_scores(self.model, parsed)
        flagged = [p for p, s in zip(parsed, scores) if any(
            self.thresholds[k] is not None and s[k] >= self.thresholds[k] for k in MODEL_KINDS)]
        score_sentences(self.model, flagged)  # one batched pass for the sentences to point at
        return [self._outputs(p, s) for p, s in zip(parsed, scores)]

    def _outputs(self, parsed: ParsedPost, scores: Mapping[str, float]) -> list[Output]:
        out: list[Output] = []
        text = parsed.text
        for kind in MODEL_KINDS:
            thr = self.thresholds[kind]
            if thr is None or scores[kind] < thr:
                continue
            ranked = sentence_scores(self.model, parsed)
            if not ranked:
                continue
            a, b, top = max(ranked, key=lambda s: s[2][kind])
            sentence = text[a:b]
            rewrite = calmer(sentence) if kind in ("anger", "negative") else None
            # Below warn_from, where the sentence acknowledges the person's feelings ("We know
            # this is frustrating") or offers help, the finding is a note, not a warning.
            # A warning needs the post and the sentence it points at both above warn_from.
            mild = (min(scores[kind], top[kind]) < self.warn_from[kind] or _ACKNOWLEDGES.search(sentence) is not None
                    or _OFFERS_HELP.match(sentence) is not None)
            out.append(self._finding(parsed, kind, a, b, scores[kind],
                                     suggestion=rewrite if rewrite and rewrite != sentence else None,
                                     severity="info" if mild else None))
        out.extend(self._shouting(parsed))
        folded = text.casefold()
        if self._may_match("blame_customer", folded):
            for m in _BLAME_CUSTOMER.finditer(text):
                out.append(self._finding(parsed, "blame", m.start(), m.end(), 0.9, whom="your customers"))
        if self._may_match("blame_party", folded):
            for m in self.blame_party.finditer(text):
                out.append(self._finding(parsed, "blame", m.start(), m.end(), 0.8, whom="a supplier or partner"))
        for m in _DISMISSIVE_ALL.finditer(text) if self._may_match("dismissive", folded) else ():
            suggestion = _DISMISSIVE[int(m.lastgroup[1:])][1]
            if suggestion and m.group()[:1].isupper():  # keep a sentence's capital
                suggestion = suggestion[0].upper() + suggestion[1:]
            out.append(self._finding(parsed, "dismissive", m.start(), m.end(), 0.8, suggestion=suggestion))
        for a, b, stance in find_hostility(text, self.acronyms):
            out.append(self._finding(parsed, "hostile", a, b, 0.85, message=_HOSTILE[stance],
                                     suggestion=_sentence_case(text[a:b]) if stance == "shout" else None))
        out.extend(Score(name=k, value=round(scores[k], 4)) for k in MODEL_KINDS)
        return out

    def _may_match(self, pattern: str, folded: str) -> bool:
        return not self.gated or _GATE[pattern].search(folded) is not None

    def _shouting(self, parsed: ParsedPost) -> Iterable[Output]:
        text = parsed.text
        # Runs of capitalised words (acronyms alone never count): two or more words, 6+ letters.
        run: list[regex.Match] = []
        no_lower: bool | None = None  # whether the whole text has no lower case: asked once, not per word
        for m in [*_CAPS_WORD.finditer(text), None]:
            if m is not None and m.group() not in self.acronyms and (
                not run or regex.fullmatch(r"[\s,.:;&-]*", text[run[-1].end() : m.start()])
            ):
                run.append(m)
                continue
            letters = sum(len(x.group()) for x in run)
            if len(run) == 1 and letters >= 6 and no_lower is None:
                no_lower = _no_lower(text)
            if (len(run) >= 2 and letters >= 6) or (len(run) == 1 and letters >= 6 and no_lower):
                a, b = run[0].start(), run[-1].end()
                yield self._finding(parsed, "shouting", a, b, 0.8, suggestion=_sentence_case(text[a:b]))
            run = [m] if m is not None and m.group() not in self.acronyms else []
        for m in _BANGS.finditer(text):
            yield self._finding(parsed, "shouting", m.start(), m.end(), 0.7,
                                suggestion="?" if "?" in m.group() else "!")

    def _finding(self, parsed: ParsedPost, kind: str, a: int, b: int, score: float, *,
                 suggestion: str | None = None, whom: str = "", message: str | None = None,
                 severity: str | None = None):
        return parsed.finding(
            a,
            b,
            rule_id=f"tone.{kind}",
            category="tone",
            severity=severity or self.severity[kind],
            message=message or _MESSAGES[kind].format(score=score, whom=whom),
            suggestion=suggestion,
            score=round(min(max(score, 0.0), 1.0), 4),
        )


def _no_lower(text: str) -> bool:
    return not any(c.islower() for c in text)


def _sentence_case(s: str) -> str:
    low = s.lower()
    return low[:1].upper() + low[1:]
