"""Personal data: presidio over the shared spaCy parse, tuned for staff posts, risk by combination.

Presidio's ``AnalyzerEngine`` is the engine, but it never parses: it is handed ``NlpArtifacts`` built
from ``parsed.doc`` (``analyzer``). Its noisy recognizers (US driver licence, US bank number, bare
dates, URLs) are left out; UK/EU identifiers, libphonenumber phones, street addresses, dates of birth
in context and the organisation's own ID patterns are added (``recognizers``, ``phones``, ``ids``,
``addresses``); overlaps resolve to the most specific type (``hits``, ``entities``); names and places
get a second pass (``names``, ``places``, the tweet-trained CRF in ``tagger``, the word lists in
``lists``); the organisation's own names, services and mailboxes are not personal data
(``organisation``). The check itself is ``check.PiiCheck``.
"""

from postguard.checks.pii.check import PiiCheck, redact
from postguard.checks.pii.hits import Hit
from postguard.checks.pii.lists import name_featurizer
from postguard.checks.pii.recognizers import offline_tldextract

__all__ = ["Hit", "PiiCheck", "name_featurizer", "offline_tldextract", "redact"]
