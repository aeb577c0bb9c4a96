"""Passwords as people write them: after a word that names one, before "is the password", in
user/password pairs, as ``user:password@host``, on command lines and in config snippets.

``find_passwords`` returns the spans of the values only, each covering the whole secret with its
punctuation ("Winter2024!") but not the sentence's ("…is Hunter2.").
"""

from __future__ import annotations

import re

# A word that names a password: "password", "pw", "passcode", "Wi-Fi key", "DB_PASSWORD", "PGPASSWORD".
_PW_WORD = (
    r"(?:(?:[a-z0-9]{1,20}[_-]){0,4}(?:pg)?(?:password|passwd|passphrase|passcode|pwd)|pass[ -]?(?:word|code|phrase)"
    r"|(?<!/)pass(?=\s*[:=])"
    r"|pwd|pw|p/w|pword|passwrd|pin[ -]?code|wi-?fi[ -]?(?:key|code|password|passcode)|network[ -]?key|wpa2?[ -]?(?:key|psk|passphrase)"
    r"|psk)"
)
_PASSWORD = re.compile(
    r"(?i:(?<![\w])(?P<kw>" + _PW_WORD + r")(?:['’]s)?[\"']?(?:\s*\([^()\n]{1,30}\))?"
    r"(?:\s+(?:for|to|on|of)\s+(?:the\s+)?[\w.-]+(?:\s+(?:wi-?fi|account|kiosk|router|server|box|pc))?)?"
    r"(?P<conn>\s*(?:(?:(?:is|was|has\s+been|will\s+be)\s+)?(?:now\s+)?(?:reset|changed|set)\s+to|is\s+now|now\s+is"
    r"|will\s+be|is:?|was|=|:=?|->|=>|[-–—|]|(?<=<password)>|(?<=<passwd)>)\s*|\s+(?:to\s+)?))"
    r"(?:[\"“‘'`](?P<q>[^\"”’'`\n]{1,64})[\"”’'`]|(?P<v>[^\s\"'<>`;]{4,64}))"
)
# "Otter-Lantern-7 is the password", "use Hunter2! as your passcode"
_PASSWORD_BEFORE = re.compile(
    r"(?i:(?<![^\s\"'(`])([^\s\"'<>`;]{4,64})\s+(?:is|as)\s+(?:the|your|our|my)\s+(?:new\s+|temporary\s+|temp\s+)?"
    r"(?:password|passcode|pw|wi-?fi\s+(?:key|password|passcode)|pin)\b)"
)
# "creds for the kiosk: kiosk / Otter-Lantern-7", "user/pass: admin/Hunter2!", "Wi-Fi: StaffEvent / Otter-Lantern-7"
_PAIR = re.compile(
    r"(?i:\b(?:user(?:name)?\s*/\s*pass(?:word)?|u/p|login|log[ -]?in|creds|credentials|account|wi-?fi|ssid)\b"
    r"(?:\s+details)?"
    r"(?:\s+(?:for|to|on|of)\s+(?:the\s+)?[\w.-]+){0,2}(?:\s*(?:is|are|[:=-])\s*|\s+)(?:(?:with|as)\s+)?)"
    r"([\w.@+-]{2,40})\s*(?:/|\s\|\s)\s*(?:(?:key|pw|pass(?:word|code)?)\s*[:=]?\s*)?([^\s\"'<>`;]{4,64})"
)
# user:password@host, in a connection string or URL ("postgres://app:S3cret@db01", "admin:Hunter2@10.0.0.5")
_USERINFO = re.compile(
    r"(?:(?<=//)|(?<![\w/:.@%+-]))([\w.%+-]{1,64}):([^\s:@/\"'<>`]{3,128})@(?=[\w\[-])"
)
_SCHEMES = frozenset({"mailto", "tel", "sip", "sips", "http", "https", "ftp", "xmpp", "im", "callto", "skype"})
# mysql -pSecret, --password=Secret, sshpass -p Secret
_CLI_PASSWORD = re.compile(
    r"(?i:\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n`]{0,200}?\s-p(?!\s)[\"']?)([^\s\"'`;]{3,64})"
    r"|(?i:\bsshpass\s+-p\s*[\"']?)([^\s\"'`;]{3,64})"
    r"|(?i:\bredis-cli\b[^\n`]{0,200}?\s-a\s+[\"']?)([^\s\"'`;]{3,64})"
    r"|(?i:\bConvertTo-SecureString\s+(?:-String\s+)?[\"'])([^\"'\n]{3,64})(?=[\"']\s+-AsPlainText)"
)
PLACEHOLDER = re.compile(
    r"(?i)^(?:\*+|x+|\.+|<[^>]*>|\$\{?[\w.]+\}?|\{\{.*\}\}|%[\w]+%|password|passw(?:or)?d|pass|changeme|"
    r"change[-_]?it|secret|your[-_]?password|example|redacted|hidden|removed|none|null|true|false)$"
)
_REDACTED = re.compile(r"\[[^\]\n]{0,40}removed\]")


def password_like(value: str, strict: bool = False) -> bool:
    """A value after "password is" that is a credential rather than a word ("password is secure").

    ``strict`` (no "is" or ":" before it): six characters or more, a digit and a letter or symbol.
    """
    v = value.rstrip(".,;!?")
    if len(v) < 4 or PLACEHOLDER.match(v):
        return False
    if _HYPHENATED_WORDS.match(v):
        return False  # "case-sensitive", "up-to-date": a passphrase of so few words is quoted or has a digit
    if strict:
        return len(v) >= 6 and bool(re.search(r"\d", v)) and not v.isdigit() and not _DATE_OR_TIME.match(v)
    return bool(re.search(r"\d", v) or re.search(r"[^\w]", v) or re.search(r"[a-z][A-Z]", v))


_HYPHENATED_WORDS = re.compile(r"^[a-z]+(?:-[a-z]+){1,2}$")
_DATE_OR_TIME = re.compile(r"(?i)^(?:\d{1,4}[-/.:]\d{1,2}(?:[-/.:]\d{1,4})?(?:am|pm)?|\d{1,2}(?:am|pm|st|nd|rd|th|h|s))$")


# Substrings without which a pattern cannot match: most posts skip most patterns (a plain-text
# test of the lower-cased post is ~20x cheaper than a regex pass).
_PW_HINTS = ("pass", "pw", "p/w", "pin", "psk", "wifi", "wi-fi", "network", "wpa")
_PAIR_HINTS = ("user", "u/p", "log", "cred", "account", "wifi", "wi-fi", "ssid")
_CLI_HINTS = ("mysql", "mariadb", "sshpass", "redis-cli", "securestring")


def find_passwords(text: str, low: str) -> list[tuple[int, int]]:
    """Spans of passwords: after a word that names one, before "is the password", in pairs,
    in ``user:password@host`` and on command lines (``low``: ``text`` lower-cased)."""
    out: list[tuple[int, int]] = []
    if any(k in low for k in _PW_HINTS):
        out += _named_passwords(text)
    if ("/" in text or "|" in text) and any(k in low for k in _PAIR_HINTS):
        for m in _PAIR.finditer(text):
            a, b = m.start(2), _trim(text, m.start(2), m.end(2))
            if password_like(text[a:b]) and not inside_url(text, m.start()):
                out.append((a, b))
    if "@" in text and ":" in text:
        for m in _USERINFO.finditer(text):
            user, password = m.group(1), m.group(2)
            if user.lower() in _SCHEMES or PLACEHOLDER.match(password) or password.isdigit():
                continue
            # Outside a URL, "Contact:jo.bloggs@uni.ac.uk" is an address: a password there needs
            # a digit or a symbol an address's local part does not use.
            if text[max(0, m.start() - 2) : m.start()] != "//" and not re.search(r"[\d!#$%&*+=?^~]", password):
                continue
            out.append(m.span(2))
    if any(k in low for k in _CLI_HINTS):
        for m in _CLI_PASSWORD.finditer(text):
            g = next(i for i in range(1, 5) if m.group(i) is not None)
            if not PLACEHOLDER.match(m.group(g)):
                out.append(m.span(g))
    return out


def _named_passwords(text: str) -> list[tuple[int, int]]:
    """Passwords after (or before) a word that names one."""
    out: list[tuple[int, int]] = []
    for m in _PASSWORD.finditer(text):
        if m.group("q") is not None:  # quoted: whatever is inside the quotes
            if not PLACEHOLDER.match(m.group("q").strip()):
                out.append(m.span("q"))
            continue
        if text[max(0, m.start() - 1) : m.start()] == "$":
            continue  # "$pw = ConvertTo-SecureString …": a variable set to an expression, not a value
        a, b = m.start("v"), _trim(text, m.start("v"), m.end("v"))
        # "passcode Otter-Lantern-7", "set the password to …": no "is" or ":", so a stronger value
        bare = m.group("conn").strip() in ("", "to")
        value = text[a:b]
        numeric_code = value.isdigit() and len(value) >= 4 and re.search(r"(?i)code|pin", m.group("kw"))
        if (numeric_code or password_like(value, strict=bare)) and not _REDACTED.match(text, a):
            out.append((a, b))
    for m in _PASSWORD_BEFORE.finditer(text):
        a, b = m.start(1), _trim(text, m.start(1), m.end(1))
        if password_like(text[a:b], strict=True):
            out.append((a, b))
    return out


def _trim(text: str, a: int, b: int) -> int:
    """End of a password value without the sentence's punctuation after it ("Winter2024!" stays whole)."""
    param = _NEXT_PARAM.search(text, a, b)
    if param:
        b = param.start()  # "?password=Hunter2&user=admin": the next query parameter is not the password
    while b > a and text[b - 1] in _TRAILING:
        b -= 1
    while b > a and text[b - 1] in _CLOSERS and text.count(_CLOSERS[text[b - 1]], a, b) < text.count(text[b - 1], a, b):
        b -= 1
    if b - a > 1 and text[b - 1] == "." and text[b - 2].isalnum() and (b == len(text) or text[b].isspace()):
        b -= 1  # the full stop of the sentence
    return b


_NEXT_PARAM = re.compile(r"&[\w.-]{1,30}=")
_TRAILING = frozenset(",;:\"'”’")
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def inside_url(text: str, i: int) -> bool:
    """Whether position ``i`` of ``text`` is inside a URL (its word holds "://" or starts "www.")."""
    # A word starts after any white space: a URL that ends the line before is not this word's.
    j = max(text.rfind(c, 0, i) for c in " \n\t") + 1
    word = text[j:i]
    return "://" in word or word.startswith("www.")
