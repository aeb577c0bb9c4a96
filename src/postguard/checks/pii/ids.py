"""Identifiers named by their context: "student ID 20231187", "Staff ID E123456", "Candidate 4471".

An organisation's own formats still go in ``id_patterns``; these need no configuration, because the
words before the code say what it is. The code must hold digits (at least three) so that "student
numbers rose" or "staff ID cards" are not read as identifiers.
"""

from __future__ import annotations

import re

#: what comes before the code, and the label the finding gets
_CUES: tuple[tuple[str, str], ...] = (
    (r"student\s+(?:id|identifier|number|no\.?|num|#|card\s+(?:number|no\.?))", "student ID"),
    (r"(?:staff|employee|payroll|personnel|employment)\s+(?:id|identifier|number|no\.?|num|#)", "staff ID"),
    (r"matric(?:ulation)?(?:\s+(?:id|number|no\.?|num|#))?", "matriculation number"),
    (r"(?:exam\s+)?candidate\s+(?:id|number|no\.?|num|#)", "candidate number"),
    (r"(?:applicant|application|ucas|registration|enrolment|enrollment|library\s+card|"
     r"membership|member|customer|account|passport|driving\s+licen[cs]e|patient|hospital)\s+"
     r"(?:id|identifier|number|no\.?|num|#)", "ID number"),
    (r"(?:national\s+insurance|ni|nino|tax|tin|utr|social\s+security|ssn)\s+(?:id|number|no\.?|num|#)", "national ID"),
    (r"(?:case|claim|complaint|appeal|disciplinary|grievance)\s+(?:id|reference|ref\.?|number|no\.?|num|#)",
     "case number"),
    # the bare word before a code: "Candidate 4471", "student 20231187"
    (r"candidate|student|staff\s+member|employee|matric", "ID number"),
)
_LABELS = [label for _, label in _CUES]
_CODE = r"(?=[A-Za-z0-9/-]*\d)[A-Za-z]{0,3}[/-]?\d[A-Za-z0-9/-]{1,18}(?<![/-])"
_ID = re.compile(
    r"(?i:\b(?:" + "|".join(f"(?P<c{i}>{cue})" for i, (cue, _) in enumerate(_CUES)) + r"))"
    r"(?i:\s*(?:is|was|:|=|#|-|no\.?)?\s*){0,2}"
    r"(?P<code>" + _CODE + r")\b"
)
_DIGIT = re.compile(r"\d")
#: the bare cue word needs the code to look like an identifier, not a year or a count
_YEAR = re.compile(r"(?:19|20)\d\d")


#: a word every cue holds: most posts have none, and a substring test is ~20x cheaper than the pattern
_KEYS = ("stud", "staff", "employ", "payroll", "personnel", "matric", "candidate", "applica", "ucas",
         "registration", "enrol", "card", "member", "customer", "account", "passport", "licen", "patient",
         "hospital", "insurance", "ni", "tax", "tin", "utr", "ssn", "social", "case", "claim", "complaint",
         "appeal", "disciplinary", "grievance")


def identifiers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of every code that its context names as an identifier."""
    if _DIGIT.search(text) is None:
        return []
    lower = text.lower()
    if not any(k in lower for k in _KEYS):
        return []
    out = []
    for m in _ID.finditer(text):
        code = m.group("code")
        if sum(ch.isdigit() for ch in code) < 3:
            continue
        cue = next(i for i in range(len(_CUES)) if m.group(f"c{i}") is not None)
        if cue == len(_CUES) - 1 and (_YEAR.fullmatch(code) or len(code) < 4):
            continue
        out.append((m.start("code"), m.end("code"), _LABELS[cue]))
    return out
