"""The PII entity vocabulary: each type's risk class, label, masking, overlap priority and defaults."""

from __future__ import annotations

#: risk class of every entity postguard reports (drives severity by combination)
RISK_CLASS: dict[str, str] = {
    "PERSON": "name",
    "LOCATION": "location",
    "STREET_ADDRESS": "contact",
    "POSTCODE": "location",
    "EMAIL_ADDRESS": "contact",
    "PHONE_NUMBER": "contact",
    "IP_ADDRESS": "contact",
    "DATE_OF_BIRTH": "contact",
    "CREDIT_CARD": "id",
    "IBAN_CODE": "id",
    "UK_NINO": "id",
    "UK_NHS": "id",
    "US_SSN": "id",
    "ID_NUMBER": "id",
}
RISK_CLASSES = ("name", "location", "contact", "sensitive", "id")

LABELS = {
    "PERSON": "name",
    "LOCATION": "location",
    "STREET_ADDRESS": "address",
    "POSTCODE": "postcode",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone number",
    "IP_ADDRESS": "IP address",
    "DATE_OF_BIRTH": "date of birth",
    "CREDIT_CARD": "card number",
    "IBAN_CODE": "IBAN",
    "UK_NINO": "National Insurance number",
    "UK_NHS": "NHS number",
    "US_SSN": "social security number",
    "ID_NUMBER": "ID number",
}
#: digits are masked (keeping the last few) rather than the span replaced by a label
MASK_KEEP = {"CREDIT_CARD": 4, "IBAN_CODE": 4, "PHONE_NUMBER": 2, "UK_NHS": 0, "US_SSN": 0}

# Overlaps: the more specific type wins (an email is one EMAIL_ADDRESS, never also a PERSON/URL).
PRIORITY = {
    "EMAIL_ADDRESS": 0,
    "URL": 1,
    "IBAN_CODE": 2,
    "CREDIT_CARD": 3,
    "UK_NINO": 3,
    "UK_NHS": 3,
    "US_SSN": 3,
    "ID_NUMBER": 3.5,  # "Student number 20231187" is an ID, never also a phone number
    "IP_ADDRESS": 4,
    "DATE_OF_BIRTH": 5,
    "PHONE_NUMBER": 6,
    "STREET_ADDRESS": 4,
    "POSTCODE": 8,
    "facility": 8.5,  # "Harrison High School" is a place, not the person it is named after
    "street": 9.5,  # "Petticoat Lane", unless a name finder read "Lois Lane"
    "town": 8.5,  # "Linwood, PA": the state says the word before it is a town
    "PERSON": 9,
    "LOCATION": 10,
}

DEFAULT_SEVERITY = {
    "name": "info",
    "location": "info",
    "contact": "warning",
    "id": "block",
    # a name (or location) in a post that also holds a contact detail, an ID or sensitive context
    "combination": "warning",
}

#: context that turns a name into a leak: education records, health, HR and complaints
DEFAULT_SENSITIVE = (
    "grade", "grades", "exam result", "exam results", "marks", "failed", "resit", "transcript",
    "gpa", "student id", "student number", "staff id", "employee id", "payroll", "salary",
    "diagnosis", "diagnosed", "illness", "sick", "sick leave", "medical", "medication", "hospital",
    "mental health", "pregnant", "pregnancy", "disability", "disabled", "therapy", "nhs number",
    "disciplinary", "misconduct", "suspended", "suspension", "dismissed", "fired", "sacked",
    "grievance", "complaint", "complained", "investigation", "tribunal", "arrested", "convicted",
    "safeguarding", "home address", "lives at", "date of birth", "dob", "born on",
)

#: where national phone numbers are read, in order (international + numbers always are)
DEFAULT_REGIONS = ("GB", "US", "IE")
