"""The pii check's identifiers, phones and organisation terms through the real service over TCP."""

from __future__ import annotations

import httpx2


def test_identifiers_phones_and_the_organisations_own_over_http(server):
    with httpx2.Client(base_url=server.url, timeout=30) as c:
        r = c.post("/v1/check", json={"text": "Call Jane on 07700900123 about her appeal. Student number 20231187."})
        assert r.status_code == 200, r.text
        got = {(f["entity"], f["excerpt"]) for f in r.json()["findings"] if f["category"] == "pii"}
        assert got == {("PERSON", "Jane"), ("PHONE_NUMBER", "07700900123"), ("ID_NUMBER", "20231187")}
        assert r.json()["verdict"] == "block"
        calm = c.post("/v1/check", json={"text": "Hi Sam, Teams and Eduroam are back. Mail servicedesk@example.ac.uk"})
        assert calm.status_code == 200 and calm.json()["verdict"] == "pass", calm.text
