"""Toxicity: insults, threats, identity attacks and harassment, with or without swear words.

A linear model over word and character n-grams, distilled word vectors and lexicon features
(``postguard.models``, trained by ``scripts/train_models.py``) scores the whole post; the score is
in ``Report.scores["toxicity"]``. Above the policy's threshold, findings point at the words that
make it toxic (``postguard.models.spans``, a per-word model fitted on SemEval-2021's toxic spans); a
word that is toxic enough on its own is a finding even in a post the model scores lower. Phrase
patterns name what it is where they can tell (``toxicity.threat``, ``toxicity.insult``) and catch
the short, swear-free attacks a tweet-trained model can miss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import regex

from postguard.checks.base import BaseCheck, Output
from postguard.checks.profanity import profanity_in
from postguard.errors import PolicyError
from postguard.findings import Score
from postguard.models import load_text_model, post_scores
from postguard.models.spans import load_span_model, phrases

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

CONFIG_KEYS = ("threshold", "severity")
KINDS = ("offensive", "insult", "threat")
DEFAULT_SEVERITY = {"offensive": "warning", "insult": "warning", "threat": "block"}
# What a pattern match counts as when the model scores the post lower.
PATTERN_SCORE = 0.9

_YOU = r"(?:you|u|ya|y'all|you\s+(?:people|guys|lot|lads|folks|two|all))"
_INSULT_WORDS = (
    r"useless|idiots?|morons?|stupid|dumb|pathetic|clowns?|incompetent|worthless|losers?|"
    r"imbeciles?|a\s+joke|a\s+disgrace|disgusting|brainless|clueless|spineless|liars?|"
    r"parasites?|scum|trash|garbage|vermin|animals|subhuman|cretins?|fools?|hopeless|ignorant|"
    r"braindead|retarded|ugly|fat|a\s+waste\s+of\s+(?:space|oxygen|time)"
)
_THREAT = regex.compile(
    r"\b(?:"
    rf"(?:i\s+)?hope\s+{_YOU}\s+(?:(?:all\s+)?(?:lose|loose)\s+(?:your|ur)\s+jobs?|get\s+(?:fired|sacked|hurt|"
    r"hit|cancer|what'?s\s+coming)|die|rot|burn|suffer|choke|drown|crash)"
    r"|(?:i|we)(?:'ll|\s+will|\s+am\s+going\s+to|'m\s+going\s+to|'m\s+gonna|\s+gonna)\s+"
    r"(?:kill|hurt|find|destroy|ruin|end|get|beat|smash|come\s+for)\s+(?:you|u|ya|your)"
    rf"|{_YOU}(?:'ll|\s+will)\s+(?:regret|pay\s+for)\s+(?:this|it|that)"
    r"|watch\s+your\s+back|you(?:'re|\s+are)\s+(?:dead|finished|going\s+down)"
    r"|(?:someone|somebody)\s+should\s+(?:shoot|kill|hurt|punch|slap)"
    r"|we\s+know\s+where\s+you\s+live"
    r")\b",
    regex.IGNORECASE | regex.V1,
)
_INSULT = regex.compile(
    r"\b(?:"
    rf"{_YOU}(?:\s+(?:are|r|re)|'re|\s+all\s+are|\s+are\s+all)\s+(?:(?:so|such|a|an|bunch\s+of|completely|totally|"
    rf"utterly|absolutely|just|all|really|truly|the\s+most|nothing\s+but)\s+)*(?:{_INSULT_WORDS})\b"
    rf"|(?:you|u)\s+(?:(?:absolute|complete|total|utter|bloody|stupid|pathetic|useless|little)\s+)*"
    r"(?:idiot|moron|clown|loser|imbecile|cretin|fool|muppet|disgrace|parasite|joke)s?\b"
    r"|(?:shut\s+up|go\s+(?:away|to\s+hell)|get\s+lost|nobody\s+asked\s+you|who\s+asked\s+you)"
    r"|(?:how\s+(?:stupid|dumb|thick)\s+(?:are|can)\s+(?:you|u))"
    r")",
    regex.IGNORECASE | regex.V1,
)
_MESSAGES = {
    "offensive": "This reads as offensive or hostile to many readers (toxicity {score:.2f}).",
    "insult": "This insults the people it addresses; an official account cannot post it.",
    "threat": "This reads as a threat or wishes someone harm; it must not be posted.",
}


class ToxicityCheck(BaseCheck):
    """``toxicity.offensive``, ``toxicity.insult``, ``toxicity.threat``; score ``toxicity``."""

    name = "toxicity"
    needs_doc = False
    category = "toxicity"

    def __init__(self, config: Mapping[str, Any], policy: Policy) -> None:
        super().__init__(config, policy)
        self.reject_unknown_settings(CONFIG_KEYS)
        threshold = config.get("threshold", 0.5)
        if not isinstance(threshold, (int, float)) or not 0.0 < threshold < 1.0:
            raise PolicyError("checks.toxicity.threshold must be a number between 0 and 1 (0.5 = tuned)")
        self.threshold = float(threshold)
        self.severity = self.read_severities(DEFAULT_SEVERITY)
        self.model = load_text_model()
        self.spans = load_span_model()

    def run(self, parsed: ParsedPost) -> Iterable[Output]:
        return self.run_many([parsed])[0]

    def run_many(self, parsed: Sequence[ParsedPost]) -> list[list[Output]]:
        scores = post_scores(self.model, parsed)
        return [self._outputs(p, s["toxicity"]) for p, s in zip(parsed, scores)]

    def _outputs(self, parsed: ParsedPost, p: float) -> list[Output]:
        text = parsed.text
        out: list[Output] = []
        patterns = [("threat", m) for m in _THREAT.finditer(text)] + [("insult", m) for m in _INSULT.finditer(text)]
        profane = [(m.start, m.end) for m in profanity_in(parsed)]
        words = self.spans.words(text, profane)
        ranked = self.spans.in_span(words)
        for kind, m in patterns:
            # An insult points at its insulting words ("you morons" -> "morons") where they score.
            inside = [w for w in ranked if m.start() <= w[0] and w[1] <= m.end() and w[2] >= self.spans.threshold]
            for a, b, _ in phrases(text, inside, self.spans.threshold) if kind == "insult" and inside else [(*m.span(), p)]:
                out.append(self._finding(parsed, kind, a, b, max(p, PATTERN_SCORE)))
        # The post is as toxic as the model says or as its most toxic word alone, on one scale.
        # Listed swear words are the profanity check's to grade ("damn" is a note there), so they
        # do not count alone here.
        alone = [s for a, b, s in words if not any(x < b and a < y for x, y in profane)]
        p = max(p, self.spans.post_score(max(alone, default=0.0)))
        if p >= self.threshold:
            picked = phrases(text, ranked, self.spans.threshold)
            if not picked and text.strip():  # no word to point at (emoji, symbols): the whole post
                a = len(text) - len(text.lstrip())
                picked = [(a, len(text.rstrip()), p)]
        else:
            picked = []
        taken = [m.span() for _, m in patterns]
        for a, b, s in picked:
            if not any(x < b and a < y for x, y in taken):
                out.append(self._finding(parsed, "offensive", a, b, p))
        if patterns:
            p = max(p, PATTERN_SCORE)
        out.append(Score(name="toxicity", value=round(p, 4)))
        return _dedupe(out)

    def _finding(self, parsed: ParsedPost, kind: str, a: int, b: int, score: float):
        return parsed.finding(
            a,
            b,
            rule_id=f"toxicity.{kind}",
            category="toxicity",
            severity=self.severity[kind],
            message=_MESSAGES[kind].format(score=score),
            score=round(score, 4),
        )


def _dedupe(outputs: list[Output]) -> list[Output]:
    """One finding per span: a threat outranks an insult outranks plain offensive."""
    rank = {"toxicity.threat": 0, "toxicity.insult": 1, "toxicity.offensive": 2}
    best: dict[tuple[int, int], Output] = {}
    rest: list[Output] = []
    for o in outputs:
        if isinstance(o, Score):
            rest.append(o)
            continue
        key = (o.start, o.end)
        if key not in best or rank[o.rule_id] < rank[best[key].rule_id]:
            best[key] = o
    return [*best.values(), *rest]
