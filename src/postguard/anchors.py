"""What every match of a pattern must contain: literal anchors, so a text without them skips it.

A phrase grammar of many short patterns spends most of its time trying patterns on texts that
cannot match them (the hostility grammar: 80 patterns, 4.4 of them with an anchor present in the
average tweet). ``anchors(pattern)`` reads the pattern's syntax tree (Python's own regular
expression parser) and returns strings, lower-cased, one of which is in every match: a run of
literal characters every match passes through, or, for an alternation, one such run from each
branch. ``None`` when it cannot tell (a branch or the whole pattern made of classes and optional
parts only); such a pattern always runs.

The patterns match case-insensitively with simple case folding, so the text is searched case-folded
(``str.casefold``): every character that simple-folds to an anchor's character full-folds to it
too (``tests/test_anchors.py`` checks every code point).
"""

from __future__ import annotations

from re import _constants as C  # noqa: N812 - the parser's opcode names
from re import _parser

_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def anchors(pattern: str) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` (case-insensitive) contains, or ``None``."""
    try:
        tree = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - syntax only the regex module knows: no anchors, always run
        return None
    found = _required(list(tree))
    return tuple(sorted(found)) if found else None


def _required(items: list) -> set[str] | None:
    """For a sequence: the most selective of what its parts require (all of them must match)."""
    options: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is C.LITERAL:
            run += chr(av).casefold()
            continue
        if run:
            options.append({run})
            run = ""
        need = None
        if op is C.SUBPATTERN:
            need = _required(list(av[3]))
        elif op is C.ATOMIC_GROUP:
            need = _required(list(av))
        elif op is C.BRANCH:
            branches = [_required(list(b)) for b in av[1]]
            if all(branches):
                need = set().union(*branches)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:  # (a part that may be absent requires nothing)
            need = _required(list(av[2]))
        # classes, assertions, look-arounds and anchors like \b require no literal of the match
        if need:
            options.append(need)
    if run:
        options.append({run})
    if not options:
        return None
    # the shortest string of an option bounds how often it is found: the longest such wins
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))
