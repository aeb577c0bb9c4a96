"""``metric``: a readability score over the whole post (Flesch-Kincaid, Gunning fog, ...), as Vale's ``metric``.

``formula`` is arithmetic over the counts below (``+ - * /``, parentheses, ``sqrt``); the post is
flagged when ``score <condition>`` holds (``condition: "> 8"``). Counts are made on the prose
as Vale makes them on a document: ``words``, ``sentences``, ``characters`` (letters and digits),
``syllables``, ``polysyllabic_words`` (3+ syllables), ``complex_words`` (polysyllabic, not a
proper noun, nor made so only by -es/-ed/-ing), ``long_words`` (7+ letters), and Markdown
``heading`` (and ``heading.h1`` ... ``heading.h6``), ``list`` and ``pre`` counts. Syllables are counted by vowel groups, so scores may differ
from Vale's by a little.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Iterator
from typing import Any

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {
    "formula": "arithmetic over words, sentences, syllables, characters, polysyllabic_words, complex_words, long_words, ...",
    "condition": "comparison the score is flagged on, e.g. '> 8'",
}
PLACEHOLDERS = ("score",)
IGNORECASE = False
VARIABLES = (
    "words", "sentences", "characters", "syllables", "polysyllabic_words", "complex_words",
    "long_words", "heading", "list", "pre", "paragraphs",
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\u2019-]*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
_VOWELS = re.compile(r"[aeiouy]+")
_ATX_LEVEL = re.compile(r"^ {0,3}(#{1,6})[ \t]", re.M)
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv, ast.Pow: operator.pow}
_CMP = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne}


def syllables(word: str) -> int:
    """Vowel groups, less a silent final 'e' (at least one)."""
    w = word.lower().strip("'\u2019-")
    if not w.isalpha():
        return 1
    n = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(n, 1)


def counts(text: str, target: Target | None = None) -> dict[str, float]:
    """The variables a formula may use, for ``text``."""
    words = [w for w in _WORD.findall(text)]
    syl = [syllables(w) for w in words]
    sentences = max(1, len([m for m in _SENTENCE_END.finditer(text.rstrip() + " ")]))
    poly = [w for w, s in zip(words, syl) if s >= 3]
    complex_words = [w for w in poly if not w[0].isupper() and syllables(re.sub(r"(es|ed|ing)$", "", w)) >= 3]
    blocks = target.blocks if target is not None else {}
    levels = {f"heading_h{n}": 0.0 for n in range(1, 7)}
    if target is not None and target.parsed.post.format == "markdown":
        for m in _ATX_LEVEL.finditer(target.parsed.original):
            levels[f"heading_h{len(m.group(1))}"] += 1
    return {
        **levels,
        "words": float(len(words)),
        "sentences": float(sentences),
        "characters": float(sum(ch.isalnum() for ch in text)),
        "syllables": float(sum(syl)),
        "polysyllabic_words": float(len(poly)),
        "complex_words": float(len(complex_words)),
        "long_words": float(sum(len(w) > 6 for w in words)),
        "heading": float(len(blocks.get("heading", []))),
        "list": float(len(blocks.get("list", []))),
        "pre": float(len(blocks.get("code", []))),
        "paragraphs": float(max(1, len(blocks.get("paragraph", [])))),
    }


def evaluate(node: ast.AST, values: dict[str, float]) -> float:
    """A formula's value: numbers, the variables, + - * / **, parentheses and sqrt()."""
    if isinstance(node, ast.Expression):
        return evaluate(node.body, values)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = evaluate(node.left, values), evaluate(node.right, values)
        if isinstance(node.op, ast.Div) and right == 0:
            return 0.0
        return _OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = evaluate(node.operand, values)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sqrt" and len(node.args) == 1:
        return math.sqrt(max(0.0, evaluate(node.args[0], values)))
    raise ValueError(ast.dump(node))


class MetricMatcher:
    def __init__(self, formula: ast.Expression, compare: Any, bound: float) -> None:
        self.formula = formula
        self.compare = compare
        self.bound = bound

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        if not _WORD.search(text):
            return
        score = evaluate(self.formula, counts(text, target))
        if self.compare(score, self.bound):
            s, e = len(text) - len(text.lstrip()), len(text.rstrip())
            yield RuleHit(s, e, values={"score": f"{score:.2f}"})


def build(f: Fields) -> MetricMatcher:
    source = f.text("formula", required=True) or ""
    try:
        tree = ast.parse(source.replace("heading.h", "heading_h"), mode="eval")
        evaluate(tree, {name: 1.0 for name in VARIABLES} | {f"heading_h{n}": 1.0 for n in range(1, 7)})
    except (SyntaxError, ValueError, KeyError) as exc:
        raise f.error("formula", f"formula {source!r} is not arithmetic over: {', '.join(VARIABLES)} ({exc})") from None
    condition = (f.text("condition", required=True) or "").strip()
    m = re.fullmatch(r"(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)", condition)
    if not m:
        raise f.error("condition", f"condition {condition!r} is not a comparison such as '> 8'")
    return MetricMatcher(tree, _CMP[m.group(1)], float(m.group(2)))

