"""Profanity: a graded word list matched whole-word through disguises.

The matcher reads a *skeleton* of the checkable text: the same length, lower-cased, leetspeak and
look-alike letters mapped to plain ones (``sh1t``, ``@ss``, ``ѕһіт``, ``ꜰᴜᴄᴋ``), so every skeleton
position is a position of ``ParsedPost.text`` and spans map back to the author's original through
the offset map. On the skeleton it finds whole words and lets them through four disguises:
repeated letters (``fuuuck``), letters split by separators (``f.u.c.k``, ``f u c k``, ``sh-it``),
masks (``f*ck``, ``a**hole``) and inflections (``bastards``). Matching is whole-word, so
Scunthorpe, Penistone and cocktail are never reached; an allow list covers the few place names,
surnames and words that a suffix, a separator or a repeated letter would otherwise reach.

Other checks reuse the matches: ``parsed.profanity`` (or ``profanity_in(parsed)``) is the shipped
list's matches, made once per post; ``find_profanity(text)`` matches any string with the shipped list.

One module a stage: ``folding`` (the skeleton), ``lexicon`` (the word list), ``matcher`` (finding its
words), ``check`` (findings for a post).
"""

from postguard.checks.profanity.check import ProfanityCheck, profanity_in
from postguard.checks.profanity.folding import skeleton
from postguard.checks.profanity.lexicon import GRADES, Lexicon, default_lexicon
from postguard.checks.profanity.matcher import Match, ProfanityMatcher, default_matcher, find_profanity

__all__ = [
    "GRADES",
    "Lexicon",
    "Match",
    "ProfanityCheck",
    "ProfanityMatcher",
    "default_lexicon",
    "default_matcher",
    "find_profanity",
    "profanity_in",
    "skeleton",
]
