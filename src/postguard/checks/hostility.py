"""The grammar of a hostile reply: how an answer turns against the person it answers.

Not angry words but stances toward the addressee, each written as general phrase grammar:
``dismiss`` (not our problem, google it, wait your turn), ``belittle`` (if you'd actually read…,
typical student, how hard is it to…), ``sarcasm`` (put-downs dressed as praise or surprise),
``insult`` (names and contempt aimed at the person), ``stop`` (shut up, stop tweeting us) and
``shout`` (a reply in capitals). ``tests/checks/test_hostility.py`` measures it on paired hostile
and calm replies (``tests/data/hostile_replies.tsv``), part of them held out while it was written.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from postguard.anchors import anchors

_I = regex.IGNORECASE | regex.V1

STANCES = ("dismiss", "belittle", "sarcasm", "insult", "stop", "shout")

# The people a service desk answers, as a reply names them ("typical student").
_PEOPLE = (
    r"(?:students?|lecturers?|academics?|staff(?:\s+members?)?|members?\s+of\s+staff|users?|customers?|"
    r"freshers?|first[-\s]?years?|professors?|managers?|people|researchers?|postgrads?|undergrads?)"
)
# What someone is told to stop doing: contacting, complaining, pestering.
_NAGGING = (
    r"(?:asking|tweeting|emailing|e-mailing|calling|ringing|phoning|messaging|dming|tagging|@ing|spamming|"
    r"complaining|whining|whinging|moaning|bothering|pestering|nagging|bugging|harassing|ranting|crying|"
    r"refreshing|replying|chasing|worrying|sending)"
)
# Words of contempt for a person or what they wrote.
_CONTEMPT = (
    r"(?:useless|hopeless|exhausting|clueless|pathetic|ridiculous|incompetent|lazy|stupid|dense|thick|dim|"
    r"daft|dumb|idiotic|brainless|ignorant|incapable|helpless|childish|tiresome|annoying|unbelievable|"
    r"a\s+joke|a\s+nightmare|a\s+pain|hard\s+work|idiots?|morons?|clowns?|muppets?|imbeciles?)"
)
# A clause's start (after any @mentions). The mentions are bounded (handles to 50 characters, 20 of
# them): unbounded, the look-behind scans back to the start from every position of a long word
# ("_" x 50,000: 7.3 s); bounded, each position costs the same.
_SENT = r"(?:^|(?<=[.!?:;]\s{0,3})|(?<=^\s{0,20}(?:@\w{1,50}[\s,]{0,5}){1,20}))"

_STANCE_PATTERNS: dict[str, list[str]] = {
    "dismiss": [
        # not our problem / job / concern / department / responsibility
        r"\b(?:not|isn'?t|is\s+not|ain'?t)\s+(?:really\s+)?(?:our|my)\s+(?:problem|job|issue|concern|department|"
        r"responsibility|business|remit|headache)\b",
        r"\b(?:a|your)\s+(?:you|personal|own)\s+problem\b|\b(?:that'?s|sounds\s+like)\s+(?:a\s+)?(?:you|personal)\s+problem\b",
        r"\byour\s+\w+,\s+your\s+problem\b|\byour\s+problem,?\s+not\s+ours\b",
        r"\bgoogle\s+it\b|\blmgtfy\b|\b(?:figure|work|sort)\s+it\s+out\s+(?:for\s+)?yourself\b",
        r"\b(?:don'?t|do\s+not|doesn'?t|couldn'?t)\s+(?:really\s+)?care\b|\b(?:nobody|no\s+one)\s+cares\b"
        r"|\bask\s+someone\s+who\s+cares\b|\bwho\s+cares\b",
        r"\bdeal\s+with\s+it\b|\btough\s+(?:luck|cookies)\b|" + _SENT + r"tough[.!]|\btoo\s+bad\b|\bget\s+over\s+it\b"
        r"|" + _SENT + r"whatever[.!]|\bwait\s+your\s+turn\b|" + _SENT + r"next[.!]|\btry\s+again\s+never\b",
        r"\b(?:we(?:'re|\s+are)|i(?:'m|\s+am))\s+not\s+your\s+(?:personal\s+)?(?:\w+\s+)?(?:it\s+department|pa|"
        r"secretary|mum|mom|mother|babysitter|servants?|helpdesk|tech\s+support|assistant|slaves?|nanny)\b",
        r"\bhand-?holding\b|\bspoon-?feed(?:ing)?\b|\bhold\s+your\s+hand\b",
        r"\b(?:we\s+have|we'?ve\s+got|got)\s+better\s+things\s+to\s+do\b",
        r"\b(?:ask|talk\s+to|complain\s+to|take\s+it\s+up\s+with|go\s+to|tell|moan\s+to)\s+[^.!?,]{1,30}?,?\s+not\s+(?:us|me)\b",
        r"\b(?:we(?:'re|\s+are)|i(?:'m|\s+am))\s+not\s+(?:answering|explaining|repeating|discussing)\s+(?:this|that|it)\s+again\b",
        r"\bscroll\s+up\b|\b(?:we|i)\s+(?:already\s+)?answered\s+(?:this|that)\s+(?:already|yesterday|before|twice)\b",
        r"\b(?:don'?t|do\s+not)\s+bother\s+(?:us|me)\b|\bnot\s+interested\s+in\s+your\b|\byour\s+excuses\b",
        r"(?<!\w)(?P<done>\w+(?:ed|en|ne))\s+when\s+(?:it|they)(?:'s|'re|\s+is|\s+are|\s+gets?)\s+(?P=done)\b",
        r",\s*not\s+(?:us|me)[.!]?\s*$|\bthat'?s\s+between\s+you\s+and\b|,\s*tough[.!]",
        r"\bif\s+you\s+don'?t\s+like\s+[^,.!?]{1,30},\s+(?:then\s+)?(?:don'?t|go|leave|tough|use\s+something)",
        _SENT + r"look\s+(?:it|them)\s+up\b",
        r"\b(?:aren'?t|isn'?t|not)\s+urgent\b",
        r"\bstop\s+worrying\b",
    ],
    "belittle": [
        # If you'd (actually) read / followed / listened…
        r"\bif\s+you(?:'d|\s+had|\s+would\s+have|\s+did)\s+(?:actually\s+|only\s+|just\s+|bothered\s+to\s+|even\s+)?"
        r"(?:read|followed|listened|looked|paid\s+attention|turned\s+up|bothered|checked\s+your|come\s+to|attended)\b",
        r"\b(?:maybe|perhaps)\s+if\s+you\b|\bif\s+you\s+actually\b",
        # Maybe read the instructions next time / try reading… before…
        r"\b(?:maybe|perhaps|try|next\s+time)\s+(?:try\s+)?(?:actually\s+)?(?:reading|read|learn|learning|using\s+your|"
        r"use\s+your|look(?:ing)?\s+at|listen(?:ing)?\s+to|turn(?:ing)?\s+your\s+brain)\b[^.!?]{0,60}?"
        r"(?:\bnext\s+time\b|\bbefore\b|\bfirst\b|\bon\b)",
        r"\binstead\s+of\s+(?:tweeting|moaning|complaining|whining|whinging|ranting|emailing\s+us|calling\s+us|bothering)\b",
        r"\bbefore\s+(?:moaning|complaining|whining|whinging|ranting|crying|bothering\s+us|tweeting|kicking\s+off)\b",
        r"\b(?:can'?t|cannot|couldn'?t|don'?t|didn'?t)\s+you\s+(?:even\s+)?(?:read|see|follow|understand|spell|count|think)\b",
        r"\b(?:not|couldn'?t|can'?t)\s+(?:be\s+)?bother(?:ed|ing)\b",
        r"\b(?:locked\s+(?:yourself\s+)?out|forgot(?:ten)?\s+(?:your\s+)?\w+|lost\s+(?:your\s+)?\w+|broken?\s+(?:it|\w+))"
        r"\s+again\s*[?!]",
        r"\b(?:did|have|do)\s+you\s+even\s+(?:try|tried|read|look|looked|check|checked|bother|know|think|own)\b",
        r"\b(?:you\s+)?(?:clearly|obviously|evidently)\s+(?:didn'?t|haven'?t|hasn'?t|have\s+no|has\s+no|don'?t|"
        r"did\s+not|never|can'?t|cannot|weren'?t)\b",
        r"\b(?:typical|classic|bloody|honestly,?)\s+" + _PEOPLE + r"\b",
        r"\b(?:another|yet\s+another)\s+(?:\w+\s+)?(?:genius|" + _PEOPLE + r"|one)\s+(?:who|that)\s+(?:can'?t|"
        r"cannot|doesn'?t|don'?t|thinks?|never|forgot|didn'?t|won'?t|has\s+no|can'?t)\b",
        _PEOPLE + r"\s+(?:never|don'?t|can'?t|cannot|won'?t)\s+(?:ever\s+)?(?:read|listen|check|follow|learn)\b",
        r"\bsome\s+people\s+(?:shouldn'?t|should\s+not|can'?t|cannot|just)\b",
        r"\b(?:people|users|students|lecturers|staff)\s+like\s+you\b|\byou(?:'re|\s+are)\s+the\s+reason\b",
        r"\bhow\s+(?:hard|difficult|complicated)\s+(?:is|can)\s+(?:it|that)\b|\bhow\s+many\s+times\s+do\b"
        r"|\bhow\s+do\s+you\s+(?:even\s+)?(?:get|manage|make\s+it)\b",
        r"\bnot\s+rocket\s+science\b|\b(?:it|this)(?:'s|\s+is)\s+(?:not|n't)\s+(?:that\s+)?(?:hard|difficult|complicated)\b"
        r"|\bit'?s\s+not\s+complicated\b",
        r"\b(?:anyone|anybody|someone)\s+with\s+(?:half\s+a\s+brain|common\s+sense|a\s+brain|eyes|basic)\b"
        r"|\bhalf\s+a\s+brain\b|\bcommon\s+sense\s+(?:would|should|says)\b"
        r"|\b(?:a|any)\s+(?:\w+-year-old|child|toddler|monkey|chimp)\s+(?:could|can)\b"
        r"|\beven\s+(?:a|my)\s+(?:\w+-year-old|child|toddler|gran|grandma|first-year|fresher|monkey)\s+(?:could|can)\b",
        r"\buse\s+your\s+(?:eyes|brain|head)\b|\bturn(?:ing)?\s+your\s+brain\s+on\b",
        r"\byou\s+should\s+(?:know|have\s+known|understand)\s+(?:this|that|better|how)\b|\bby\s+now\b(?=[^.!?]{0,3}[.!?]?\s*$)",
        r"(?<!\bnot\s)(?<!n't\s)\byour\s+(?:own\s+)?fault\b",
        r"\b(?:not|n't)\s+our\s+fault\s+(?:you|your|that\s+you)\b",
        r"\byou(?:'re|\s+are)\s+(?:a\s+)?grown\s+(?:adult|up|man|woman)\b|\bwelcome\s+to\s+(?:university|adulthood|"
        r"the\s+real\s+world|uni),?\s+where\b",
        _SENT + r"learn\s+(?:how\s+)?to\s+(?:read|type|use\s+it|spell|google|count)\b",
        r"\bdid\s+(?:nobody|no\s+one|anyone)\s+(?:ever\s+)?(?:teach|tell|show)\s+you\b",
        r"\b(?:of\s+course|no\s+wonder)\s+it\s+(?:crashed|broke|failed|didn'?t\s+work|doesn'?t\s+work)\b,?\s+you\b",
        r"\bmust\s+be\s+(?:something|because)\s+you\b|\b(?:your|the)\s+(?:internet|wifi|wi-fi|laptop)\s+is\.",
        r"\bit'?s\s+(?:a|an|just\s+a)\s+\w+[.!?]\s+(?:write|deal|figure|remember)\b",
        r"\b(?:as\s+anyone|everyone\s+else)\s+(?:can|could|manages?|managed|knows?)\b",
        r"\bjust\s+fine\b(?=[^.!?]{0,3}[.!?]?\s*$)",
    ],
    "sarcasm": [
        r"\b(?:congratulations|congrats|well\s+done|bravo|brilliant(?:\s+idea)?|amazing|nice\s+(?:work|one|job|try)|"
        r"great\s+(?:job|work|idea)|good\s+job|genius\s+move|impressive)\b[,!.]?\s+(?:you(?:'ve|\s+have)?\s+)?"
        r"(?:managed|broke|broken|deleting|deleted|lost|losing|locked|found|forgot|forgotten|emailing|sharing|"
        r"clicking|clicked|crashed|crashing|wiping|wiped|breaking|spilling|spilled|ignoring|ignored)\b",
        _SENT + r"(?:impressive|genius|proud\s+of\s+you|bravo|really\s+helpful|very\s+helpful|amazing\s+work|"
        r"slow\s+clap)[.!]*\s*$",
        r",\s*(?:genius|einstein|sherlock|champ|sunshine|pal|buddy|sweetheart|love)\b(?!\s+\w)",
        r"\bwho\s+(?:would\s+have|would've|could\s+have)?\s*(?:knew|thought)\s*\?",
        r"\bwhatever\s+will\s+you\s+do\b|\bwhat\s+a\s+surprise\b|\bsurprise,?\s+surprise\b|" + _SENT + r"shocking,",
        r"\b(?:oh\s+)?sure,?\s+(?:we'?ll|we\s+will|i'?ll|blame|because|let'?s|why\s+not)\b|\boh\s+great,?\s+another\b"
        r"|" + _SENT + r"yes,?\s+because\b|" + _SENT + r"(?:right|sure),\s+because\b",
        r"\b(?:just|specifically|only|purely)\s+to\s+(?:ruin|annoy|spite|upset|inconvenience)\s+you(?:r\s+\w+)?\b",
        r"\brevolves\s+around\s+you(?:r\s+\w+)?\b|\bdrop\s+everything\b|[.!]\s*not[.!]\s*$",
        r"\bit'?s\s+never\s+the\s+user\b|\b(?:another|a)\s+five-star\s+review\s+from\b",
        r"\b(?:thanks|thank\s+you)\s+for\s+the\s+(?:essay|novel|lecture|life\s+story|sermon)\b",
        r"\bnext\s+time,?\s+(?:try|maybe)\b",
    ],
    "insult": [
        r"\b(?:only|what)\s+(?:an?\s+)?(?:absolute\s+|complete\s+|utter\s+|total\s+)?(?:idiot|moron|fool|clown|"
        r"stupid|dumb|pathetic|useless|ridiculous|pointless|silly|idiotic)\b",
        r"\b(?:don'?t|do\s+not|stop)\s+be(?:ing)?\s+(?:so\s+)?(?:dense|stupid|thick|daft|dumb|silly|ridiculous|"
        r"childish|dramatic|lazy|precious|difficult)\b",
        r"\byou\s+(?:sound|look|act|are\s+acting|behave)\s+like\s+(?:a|an)\s+(?:\w+\s+)?(?:child|baby|toddler|kid|idiot|"
        r"toddler|brat|clown)\b",
        r"\b(?:you|you\s+lot|you\s+people|you\s+guys|u)\s*(?:are|'re|r)\s+(?:all\s+)?(?:so\s+|really\s+|just\s+|"
        r"completely\s+|totally\s+|utterly\s+|absolutely\s+|honestly\s+|a\s+bit\s+)?" + _CONTEMPT + r"\b",
        r"\bare\s+you\s+(?:\w+\s+){0,2}?(?:stupid|incapable|clueless|thick|dense|lazy|daft|dim|blind|illiterate|"
        r"serious|kidding|joking|deaf|for\s+real)\b",
        r"\b(?:waste\s+of\s+(?:our|my)\s+(?:time|day|energy)|waste\s+of\s+space)\b",
        r"\b(?:useless|pathetic|stupid|dumb|ridiculous|silly|pointless|lazy)\s+(?:question|complaint|attempt|account|"
        r"request|excuse|tweet|post|email|comment)s?\b",
        r"\b(?:your|this)\s+(?:\w+\s+)?(?:drama|tantrum|whining|moaning|sob\s+story)\b",
        r"\b(?:idiot|moron|clown|muppet|imbecile|cretin|numpty|halfwit|dimwit|buffoon)s?\b",
        r"\bspoilt\s+(?:child|brat|kid)\b|\bgrow\s+up\b",
    ],
    "stop": [
        _SENT + r"(?:(?:please|just|now|so)\s+)?(?:stop|quit)\s+" + _NAGGING + r"\b",
        r"\b(?:stop|quit)\s+" + _NAGGING + r"\s+(?:us|me|about|the\s+same|every)\b",
        r"\bshut\s+up\b|\bgive\s+it\s+a\s+rest\b|\benough\s+(?:with\s+the|of\s+the|already)\b|\bpipe\s+down\b",
        r"\b(?:don'?t|do\s+not)\s+@\s*(?:us|me)\b",
        r"\bget\s+off\s+(?:twitter|here|x|social\s+media|our\s+\w+)\b|\b(?:leave|let)\s+us\s+alone\b|\bgo\s+away\b",
        r"\b(?:don'?t|do\s+not)\s+(?:tweet|email|call|message|dm|contact|bother|tag)\s+(?:us|me)\s+(?:again|about)\b",
        r"\b(?:we(?:'re|\s+are)|i(?:'m|\s+am))\s+not\s+(?:picking\s+up|answering|replying|listening)\b",
        _SENT + r"(?:please\s+)?stop(?:\s+it)?[,.!]",
        r"\bwe\s+heard\s+you\s+the\s+first\s+time\b|\b(?:we'?ve|we\s+have)\s+(?:already\s+)?(?:said|told\s+you)\s+"
        r"(?:no|it)\s+(?:twice|three\s+times|already|before)\b",
        r"\bstop\s+asking\b",
    ],
}

# One compiled pattern each, not one alternation: the regex module scans a 70-way alternation at
# every position (1.12 ms a tweet) but each short pattern fast (0.36 ms for all, 600 tweets).
# Simple case folding ("(?-f)"; V1 folds fully by default, "ß" as "ss"): half the compile time at
# every start (102 -> 49 ms) and 0.33 -> 0.23 ms a text, the same phrases in all 95,110 texts of
# the shared data sets and the hostile replies.
# Each with its anchors (``anchors.py``): a text holding none of them cannot match, so the pattern
# is not tried. 4.4 of the 80 patterns are tried on the average tweet: 166 -> 41 us a text (median,
# 2,000 tweets), the same matches.
_PATTERNS = [
    (stance, regex.compile("(?-f)" + p, _I), anchors(p))
    for stance, patterns in _STANCE_PATTERNS.items()
    for p in patterns
]
# Each anchor looked for once per text, not once per pattern that needs it.
_ANCHORS = tuple(sorted({word for _, _, needs in _PATTERNS for word in needs or ()}))

# Shouting at someone: three or more words in capitals that read as a sentence (a function word
# among them), not a list of acronyms ("OS, CPU, RAM").
_CAPS_RUN = regex.compile(r"\b\p{Lu}[\p{Lu}'’]*(?:[\s.:;!?-]+\p{Lu}[\p{Lu}'’]*){2,}\b", regex.V1)
_REPLY = regex.compile(r"\s*[.]?@\w+")
_FUNCTION_WORDS = frozenset(
    "THE A AN YOU YOUR YOU'RE WE WE'RE ARE IS IT IT'S NOT NO TO OF AND DO DON'T DOES CAN CANNOT WILL HAVE "
    "STOP WHY HOW WHAT ON IN FOR THIS THAT".split()
)


def find_hostility(text: str, acronyms: frozenset[str] = frozenset()) -> Iterator[tuple[int, int, str]]:
    """``(start, end, stance)`` of each hostile phrase in ``text``."""
    found = []
    folded = text.casefold()
    present = {word for word in _ANCHORS if word in folded}
    for stance, pattern, needs in _PATTERNS:
        if needs is not None and present.isdisjoint(needs):
            continue
        for m in pattern.finditer(text):
            seg = m.group()  # trim what the grammar matched around the phrase
            a = m.start() + len(seg) - len(seg.lstrip(" ,"))
            b = m.start() + len(seg.rstrip(" ,"))
            if b > a:
                found.append((a, b, stance))
    # Where phrases overlap, the earlier (then longer) one stands for them.
    end = -1
    for a, b, stance in sorted(found, key=lambda f: (f[0], -f[1])):
        if a >= end:
            yield a, b, stance
            end = b
    if not _REPLY.match(text):  # capitals in an announcement are emphasis; tone.shouting notes them
        return
    for m in _CAPS_RUN.finditer(text):
        words = regex.findall(r"\p{Lu}[\p{Lu}'’]*", m.group())
        plain = [w for w in words if w not in acronyms]
        if len(plain) >= 2 and any(w.replace("’", "'") in _FUNCTION_WORDS for w in words):
            yield m.start(), m.end(), "shout"
