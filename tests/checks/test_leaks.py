"""The leaks suite: every kind of credential, in plain text and hidden in Markdown and HTML (code,
comments, attributes, link targets, front matter), through the default policy; and calm near-misses
that draw no secret finding."""

from __future__ import annotations

import pytest
from helpers import assert_spans_exact

from postguard.engine import Checker

# Realistic values, assembled so this file itself does not look like it leaks credentials.
SLACK = "xoxb-" + "2231234567-8812345678901-" + "Qw3rTy7UiOp9AsDf2GhJkL4z"
GHP = "ghp_" + "R8x2Lq0ZpT4mV7nK1cW9yB3hJ6dF5sA2eG0u"
GLPAT = "glpat-" + "Xq7Rk2Lm9TzW4vNc8pBd"
AWS_ID = "AKIA" + "QX4MZ7RL2VNBT6PW"
STRIPE = "sk_live_" + "51H8xQ2Lq0ZpT4mV7nK1cW9yB"
TWILIO = "SK" + "3f9a1c7e5b2d8f4a6c0e9b7d5a3f1c8e"
SENDGRID = "SG." + "Xq7Rk2Lm9TzW4vNc8pBdQa" + "." + "Zt5Yh3Jk8LmN2pQr6StUv9WxYz1Ab4Cd7Ef0GhIjKlM"
NPM = "npm_" + "Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr"
PYPI = "pypi-" + "AgEIcHlwaS5vcmc" + "CJDk3ZTcxYmM4LTU2ZDQtNDhiNC1hNmJjLTIyOTk4ZjQ4ZDNmNQACKlsz"
AZURE = "Xy7" + "8Q~" + "Zt5Yh3Jk8LmN2pQr6StUv9WxYz1Ab4Cd7"
GOOGLE = "AIza" + "SyB3x9Lq0ZpT4mV7nK1cW9yB3hJ6dF5sA2e"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvIn0"
    + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----"
OPENSSH = (
    "-----BEGIN " + "OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----"
)
GCP_KEY = "-----BEGIN " + "PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T0A1B2C3D/B0A1B2C3D/Zq8TnR2xLmV4pK7cW1yB9hJd"
TEAMS_HOOK = (
    "https://uniexample.webhook.office.com/webhookb2/"
    + "3f9a1c7e-5b2d-4f4a-8c0e-9b7d5a3f1c8e@7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    + "/IncomingWebhook/9f3a7c1e5b2d8f4a6c0e9b7d5a3f1c8e/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
)
DISCORD_HOOK = "https://discord.com/api/webhooks/" + "1234567890123456789/" + (
    "Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr6StUv9WxYz1Ab4Cd7Ef0GhIjKlMnOpQr"
)

# (name, snippet as an author writes it, the secret, its kind). One line unless it must not be.
KINDS = [
    ("slack token in config", f"slack_token: {SLACK}", SLACK, "SLACK_TOKEN"),
    ("mysql -p", "mysql -u root -pHunter2Secret! library_db", "Hunter2Secret!", "PASSWORD"),
    ("creds pair", "temp creds for the kiosk: kiosk / Otter-Lantern-7", "Otter-Lantern-7", "PASSWORD"),
    ("wifi passcode", "Conference Wi-Fi is StaffEvent, passcode Otter-Lantern-7", "Otter-Lantern-7", "PASSWORD"),
    ("password, whole", "Your temporary password is Winter2024! Change it today.", "Winter2024!", "PASSWORD"),
    ("pw", "new pw: Tr0ub4dor-88 for the lab PCs", "Tr0ub4dor-88", "PASSWORD"),
    ("wifi key", "Guest Wi-Fi key: Maple-Harbour-42", "Maple-Harbour-42", "PASSWORD"),
    ("password last", "Otter-Lantern-7 is the new password for the kiosk", "Otter-Lantern-7", "PASSWORD"),
    ("user/pass", "user/pass: admin/Hunter2Secret", "Hunter2Secret", "PASSWORD"),
    ("user:pass@host", "ssh backup:Gr8Lakes2024@files.example.org", "Gr8Lakes2024", "PASSWORD"),
    ("connection URL", "postgres://libapp:S3cretPass99@db.example.org:5432/library", "S3cretPass99", "PASSWORD"),
    ("connection string", "Server=sql01;Database=lib;User Id=sa;Password=Hunter2Secret;", "Hunter2Secret", "PASSWORD"),
    ("env file", "DB_PASSWORD=Otter-Lantern-7", "Otter-Lantern-7", "PASSWORD"),
    ("JSON password", '{"username": "kiosk", "password": "Otter-Lantern-7"}', "Otter-Lantern-7", "PASSWORD"),
    ("PEM private key", PEM, PEM, "PRIVATE_KEY"),
    ("OpenSSH private key", OPENSSH, OPENSSH, "PRIVATE_KEY"),
    ("GCP service account", '{"type": "service_account", "private_key": "' + GCP_KEY + '\\n", "client_id": "1"}',
     GCP_KEY, "PRIVATE_KEY"),
    ("curl -u", "curl -u admin:Hunter2Secret https://api.example.org/v1/status", "admin:Hunter2Secret", "PASSWORD"),
    ("JWT", f"Authorization: Bearer {JWT}", JWT, "JWT"),
    ("Slack webhook", f"webhook: {SLACK_HOOK}", SLACK_HOOK, "SLACK_WEBHOOK"),
    ("Teams webhook", f"teams hook {TEAMS_HOOK}", TEAMS_HOOK, "WEBHOOK"),
    ("Discord webhook", f"discord hook {DISCORD_HOOK}", DISCORD_HOOK, "WEBHOOK"),
    ("AWS", f"aws_access_key_id = {AWS_ID}", AWS_ID, "AWS_ACCESS_KEY"),
    ("GitHub", f"GITHUB_TOKEN={GHP}", GHP, "GITHUB_TOKEN"),
    ("GitLab", f"gitlab token {GLPAT}", GLPAT, "API_TOKEN"),
    ("Stripe", f"STRIPE_SECRET_KEY={STRIPE}", STRIPE, "STRIPE_KEY"),
    ("Twilio", f"twilio api key {TWILIO}", TWILIO, "API_TOKEN"),
    ("SendGrid", f"SENDGRID_API_KEY={SENDGRID}", SENDGRID, "API_TOKEN"),
    ("npm", f"//registry.npmjs.org/:_authToken={NPM}", NPM, "API_TOKEN"),
    ("PyPI", f"password = {PYPI}", PYPI, "API_TOKEN"),
    ("Azure", f"AZURE_CLIENT_SECRET={AZURE}", AZURE, "API_TOKEN"),
    ("Google API key", f"maps_key: {GOOGLE}", GOOGLE, "GOOGLE_API_KEY"),
]


def _plain(s: str) -> tuple[str, str]:
    return "plain", f"FYI for tomorrow's change: {s}"


def _md_fence(s: str) -> tuple[str, str]:
    return "markdown", f"## Kiosk set-up\n\nPaste this into the config:\n\n```yaml\n{s}\n```\n\nThanks all!"


def _md_indented(s: str) -> tuple[str, str]:
    body = "\n".join("    " + line for line in s.split("\n"))
    return "markdown", f"Paste this into the config:\n\n{body}\n\nThanks all!"


def _md_inline(s: str) -> tuple[str, str]:
    return "markdown", f"Run `{s}` once the update is done."


def _md_comment(s: str) -> tuple[str, str]:
    return "markdown", f"The kiosk is back.\n\n<!-- {s} -->\n\nThanks for your patience."


def _md_front_matter(s: str) -> tuple[str, str]:
    return "markdown", f"---\ntitle: Kiosk back\nnotes: {s}\n---\nThe kiosk is back."


def _html_comment(s: str) -> tuple[str, str]:
    return "html", f"<p>The kiosk is back.</p>\n<!-- {s} -->\n<p>Thanks!</p>"


def _html_attribute(s: str) -> tuple[str, str]:
    return "html", f"<p data-note='{s}'>The kiosk is back.</p>"


def _html_pre(s: str) -> tuple[str, str]:
    return "html", f"<p>Config:</p><pre><code>{s}</code></pre>"


WRAPPERS = {
    "plain": _plain,
    "md-fence": _md_fence,
    "md-indented": _md_indented,
    "md-inline": _md_inline,
    "md-comment": _md_comment,
    "md-front-matter": _md_front_matter,
    "html-comment": _html_comment,
    "html-attribute": _html_attribute,
    "html-pre": _html_pre,
}
_ONE_LINE = {"md-inline", "md-front-matter", "html-attribute"}


def _cases():
    for name, snippet, secret, kind in KINDS:
        for where, wrap in WRAPPERS.items():
            if where in _ONE_LINE and "\n" in snippet:
                continue
            if where == "html-attribute" and "'" in snippet:
                continue
            if where.startswith("html") and any(c in snippet for c in "<>&"):
                continue
            if where == "md-inline" and "`" in snippet:
                continue
            fmt, text = wrap(snippet)
            # an indented block's key stands in the source with its indent
            expected = secret.replace("\n", "\n    ") if where == "md-indented" else secret
            yield pytest.param(fmt, text, expected, kind, id=f"{name}-{where}")


# Link targets: a webhook or a credential URL behind a link's text.
LINKED = [
    ("markdown", f"Post updates [to the channel]({SLACK_HOOK}).", SLACK_HOOK, "SLACK_WEBHOOK"),
    ("markdown", f"![status]({DISCORD_HOOK})", DISCORD_HOOK, "WEBHOOK"),
    ("html", f'<a href="{TEAMS_HOOK}">Teams</a>', TEAMS_HOOK, "WEBHOOK"),
    ("html", '<a href="ftp://backup:Gr8Lakes2024@files.example.org/">backups</a>', "Gr8Lakes2024", "PASSWORD"),
    ("html", f'<img src="https://maps.example.org/static?key={GOOGLE}" alt="Campus map">', GOOGLE, "GOOGLE_API_KEY"),
    ("markdown", "[reset](https://id.example.ac.uk/reset-password?token=f83kd93kdl2x)",
     "https://id.example.ac.uk/reset-password?token=f83kd93kdl2x", "RESET_LINK"),
    ("markdown", "Join on [Zoom](https://zoom.us/j/91234567890?pwd=Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8L.1)",
     "Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8L.1", "PASSWORD"),
]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def secrets(checker: Checker, text: str, fmt: str) -> list[tuple[str, str]]:
    report = checker.check(text, format=fmt)
    assert_spans_exact(text, report.findings)
    return [(f.entity, f.excerpt) for f in report.findings if f.category == "secret"]


@pytest.mark.parametrize(("fmt", "text", "secret", "kind"), [*_cases(), *(pytest.param(*c, id=f"link-{i}") for i, c in enumerate(LINKED))])
def test_leak_is_found_whole_wherever_it_hides(checker, fmt, text, secret, kind):
    report = checker.check(text, format=fmt)
    assert_spans_exact(text, report.findings)
    hits = [(f.entity, f.excerpt) for f in report.findings if f.category == "secret"]
    assert (kind, secret) in hits
    assert report.verdict == "block"


NEAR_MISSES = [
    ("plain", "ping www.example.ac.uk"),
    ("markdown", "Check your connection:\n\n```\nping www.example.ac.uk\ntraceroute 8.8.8.8\n```"),
    ("markdown", "Instructions:\n\n```\nhttps://help.example.ac.uk/it/wifi/eduroam-setup\n```"),
    ("markdown", "Reset it yourself: [reset your password](https://id.example.ac.uk/reset-password)."),
    ("html", '<p>Reset it at <a href="https://id.example.ac.uk/reset-password">the reset page</a>.</p>'),
    ("plain", "Forgotten your password? Reset it at https://id.example.ac.uk/reset-password"),
    ("plain", "Forgot your password? Use the password manager, and change your password every 90 days."),
    ("plain", "The Wi-Fi is eduroam; sign in with your university username and password."),
    ("plain", "Wi-Fi passcode is on the card at reception."),
    ("markdown", "Run `mysql -u root -p library_db` and type the password when asked."),
    ("markdown", "```yaml\ndb:\n  user: app\n  password: ${DB_PASSWORD}\n```"),
    ("markdown", "```\nssh jbloggs@login.example.ac.uk\ngit log --oneline\n```"),
    ("markdown", "---\ntitle: Wi-Fi update\nauthor: IT Service Desk\ndate: 2024-05-01\n---\nAll sorted."),
    ("html", '<img src="https://cdn.example.ac.uk/img/8f3kd93kdl2a9f8s7d6f5g4h3j2k1l0z.png" alt="Campus map">'),
    ("html", '<script src="https://cdn.example.org/lib.js" '
             'integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script><p>Hi</p>'),
    ("html", '<p>Write to <a href="mailto:servicedesk@example.ac.uk">the service desk</a> or call '
             '<a href="tel:+441134960000">us</a>.</p>'),
    ("html", "<!-- hero image swapped for the summer --><p>Open day on Saturday.</p>"),
    ("markdown", "See <https://status.example.ac.uk> for live updates."),
    ("plain", "Meet at 10:30 in room 2.14; the password policy changes on 1 May."),
    ("plain", "Printing costs 5p a page from 1 May; top up at https://print.example.ac.uk/topup"),
    ("plain", "Contact:jo.bloggs@uni.ac.uk or email:servicedesk@example.ac.uk"),
    ("plain", "The password is case-sensitive, and must be at least 12 characters long."),
    ("plain", "Password reset: https://id.example.ac.uk/reset-password"),
    ("markdown", "Paste your public key:\n\n```\nssh-ed25519 "
                 "AAAAC3NzaC1lZDI1NTE5AAAAIGq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr6StUv9 jo@laptop\n```"),
    ("html", '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">'),
    ("html", '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Xq7Rk2Lm9TzW4vNc"></iframe><p>Tour</p>'),
]


@pytest.mark.parametrize(("fmt", "text"), NEAR_MISSES, ids=[t[:40] for _, t in NEAR_MISSES])
def test_calm_near_miss_draws_no_secret(checker, fmt, text):
    assert secrets(checker, text, fmt) == []


# Personal data the pii check reads from the leak view: contact details behind links, in comments and code.
HIDDEN_PII = [
    ("html", '<p>Write to <a href="mailto:jo.bloggs@gmail.com">Jo</a>.</p>', "EMAIL_ADDRESS", "jo.bloggs@gmail.com"),
    ("html", '<p><a href="tel:+447911123456">Call the duty manager</a></p>', "PHONE_NUMBER", "+447911123456"),
    ("markdown", "Ask [the warden](mailto:sam.okafor@outlook.com) for a key.", "EMAIL_ADDRESS", "sam.okafor@outlook.com"),
    ("markdown", "Back soon.\n\n<!-- duty phone 07911 123456 -->", "PHONE_NUMBER", "07911 123456"),
    ("markdown", "Set-up:\n\n```\nnotify: sam.okafor@outlook.com\n```", "EMAIL_ADDRESS", "sam.okafor@outlook.com"),
    ("html", "<p>Back soon.</p><!-- escalate to sam.okafor@outlook.com -->", "EMAIL_ADDRESS", "sam.okafor@outlook.com"),
]


@pytest.mark.parametrize(("fmt", "text", "entity", "excerpt"), HIDDEN_PII, ids=[f"{e}-{i}" for i, (_, _, e, _) in enumerate(HIDDEN_PII)])
def test_contact_details_hidden_in_the_source_are_personal_data(checker, fmt, text, entity, excerpt):
    report = checker.check(text, format=fmt)
    assert_spans_exact(text, report.findings)
    assert (entity, excerpt) in [(f.entity, f.excerpt) for f in report.findings if f.category == "pii"]


def test_prose_checks_do_not_read_the_leak_view(checker):
    # a swear word in a code block is the code's business; the same word in prose is the post's
    hidden = checker.check("Fixed.\n\n```\n# this shit took all night\n```", format="markdown")
    shown = checker.check("Fixed. This shit took all night.", format="markdown")
    assert not [f for f in hidden.findings if f.category == "profanity"]
    assert [f.excerpt for f in shown.findings if f.category == "profanity"] == ["shit"]


def test_the_command_line_points_at_a_leak_in_a_code_block(tmp_path):
    import subprocess
    import sys

    post = tmp_path / "kiosk.md"
    post.write_text("# Kiosk\n\nBack up.\n\n```\nmysql -u root -pHunter2Secret! library_db\n```\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "postguard", "check", str(post), "--color", "never"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if " secret." in line]
    assert len(lines) == 1 and lines[0].startswith(f"{post}:6:17 block secret.password ")
    assert lines[0].endswith("[Hunter2Secret!] -> '[password removed]'")


# Passwords and passcodes as people write them (plain text); None: nothing to find.
PHRASINGS = [
("The password for the kiosk is Otter-Lantern-7", "Otter-Lantern-7"),
 ("kiosk password: Otter-Lantern-7", "Otter-Lantern-7"),
 ("Guest Wi-Fi: UniGuest, password Maple-Harbour-42", "Maple-Harbour-42"),
 ("SSID UniGuest / key Maple-Harbour-42", "Maple-Harbour-42"),
 ("Wi-Fi: UniGuest / Maple-Harbour-42", "Maple-Harbour-42"),
 ("Login with admin / Hunter2Secret", "Hunter2Secret"),
 ("log in as admin, password Hunter2Secret", "Hunter2Secret"),
 ("username: jbloggs password: Winter2024!", "Winter2024!"),
 ("use Winter2024! as your temporary password", "Winter2024!"),
 ("pass: Winter2024!", "Winter2024!"),
 ("pwd=Winter2024!", "Winter2024!"),
 ("Meeting ID 912 3456 7890, passcode 583920", "583920"),
 ("the new Wi-Fi password's Maple-Harbour-42", "Maple-Harbour-42"),
 ("password = 'Hunter2Secret'", "Hunter2Secret"),
 ("PASSWORD: Winter2024!", "Winter2024!"),
 ("Password – Winter2024!", "Winter2024!"),
 ("password is: Winter2024!", "Winter2024!"),
 ("Your password was reset to Winter2024!", "Winter2024!"),
 ("Your password has been changed to Winter2024!", "Winter2024!"),
 ("I've set the password to Winter2024! for now", "Winter2024!"),
 ("Temporary password Winter2024! - change it at first login", "Winter2024!"),
 ("Wi-Fi password: Maple Harbour 42", None),
 ("Door code is 4827", "4827"),
 ("The Wi-Fi key is Maple-Harbour-42.", "Maple-Harbour-42"),
 ("WPA2 key: Maple-Harbour-42", "Maple-Harbour-42"),
 ("Network key - Maple-Harbour-42", "Maple-Harbour-42"),
 ("Creds: admin/Hunter2Secret", "Hunter2Secret"),
 ("admin / Hunter2Secret is the login for the kiosk", None),
 ("Pass code: 583920", "583920"),
 ("Password (case sensitive): Winter2024!", "Winter2024!"),
 ("passwd: Winter2024!", "Winter2024!"),
 ("P/W: Winter2024!", "Winter2024!"),
 ("login details: admin / Hunter2Secret", "Hunter2Secret"),
 ("Wi-Fi: UniGuest (password: Maple-Harbour-42)", "Maple-Harbour-42"),
 ("https://kiosk.example.org/login?password=Hunter2Secret&user=admin", "Hunter2Secret"),
 ("user: admin pass: Hunter2Secret", "Hunter2Secret"),
 ("Server room alarm code: 4827", "4827"),
]


@pytest.mark.parametrize(("text", "secret"), PHRASINGS, ids=[t[:40] for t, _ in PHRASINGS])
def test_password_phrasings(checker, text, secret):
    found = [excerpt for _, excerpt in secrets(checker, text, "plain")]
    assert found == ([secret] if secret else [])


# Credentials as they turn up in config snippets, tables, markup and tool output.
SNIPPETS = [

 ("markdown", "[kiosk]: https://admin:Hunter2Secret@kiosk.example.org/admin\n\nSee [kiosk].", "Hunter2Secret"),
 ("plain", "Authorization: Basic YWRtaW46SHVudGVyMlNlY3JldA==", "YWRtaW46SHVudGVyMlNlY3JldA=="),
 ("markdown", "| Setting | Value |\n|---|---|\n| SSID | UniGuest |\n| password | Maple-Harbour-42 |", "Maple-Harbour-42"),
 ("markdown", "```xml\n<user>kiosk</user>\n<password>Hunter2Secret</password>\n```", "Hunter2Secret"),
 ("markdown", "```powershell\n$pw = ConvertTo-SecureString 'Hunter2Secret' -AsPlainText -Force\n```", "Hunter2Secret"),
 ("markdown", "```\nexport MYSQL_PWD=Hunter2Secret\n```", "Hunter2Secret"),
 ("markdown", "```\nsshpass -p 'Hunter2Secret' ssh admin@kiosk01\n```", "Hunter2Secret"),
 ("markdown", "```\nredis-cli -h cache01 -a Hunter2Secret ping\n```", "Hunter2Secret"),
 ("plain", "Chat hook: https://chat.googleapis.com/v1/spaces/AAAAxyz123/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token=Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr6StUv9W%3D",
  "https://chat.googleapis.com/v1/spaces/AAAAxyz123/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token=Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr6StUv9W%3D"),
 ("plain", "zap: https://hooks.zapier.com/hooks/catch/1234567/abcdef1/", "https://hooks.zapier.com/hooks/catch/1234567/abcdef1/"),
 ("plain", "Power Automate: https://prod-12.westeurope.logic.azure.com:443/workflows/0123456789abcdef0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr",
  "https://prod-12.westeurope.logic.azure.com:443/workflows/0123456789abcdef0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr"),
 ("plain", "client_secret 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", "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"),
 ("markdown", "```\nPuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: kiosk\nPrivate-Lines: 1\nAAAAgQCXq7Rk2Lm9TzW4vNc8pBd\nPrivate-MAC: 3f9a1c7e5b2d8f4a6c0e9b7d5a3f1c8e\n```",
  "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: kiosk\nPrivate-Lines: 1\nAAAAgQCXq7Rk2Lm9TzW4vNc8pBd\nPrivate-MAC: 3f9a1c7e5b2d8f4a6c0e9b7d5a3f1c8e"),
 ("plain", "git clone https://oauth2:glpat-Xq7Rk2Lm9TzW4vNc8pBd@gitlab.example.org/it/kiosk.git", "glpat-Xq7Rk2Lm9TzW4vNc8pBd"),
 ("plain", "Twilio auth token: 3f9a1c7e5b2d8f4a6c0e9b7d5a3f1c8e", "3f9a1c7e5b2d8f4a6c0e9b7d5a3f1c8e"),
 ("plain", "Wi-Fi password:\nMaple-Harbour-42", "Maple-Harbour-42"),
 ("markdown", "```\nDefaultEndpointsProtocol=https;AccountName=unistore;AccountKey=Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr6StUv9WxYz1Ab4Cd7Ef0GhIjKlMn+o/pQ==;EndpointSuffix=core.windows.net\n```",
  "Xq7Rk2Lm9TzW4vNc8pBdZt5Yh3Jk8LmN2pQr6StUv9WxYz1Ab4Cd7Ef0GhIjKlMn+o/pQ=="),
]


@pytest.mark.parametrize(("fmt", "text", "secret"), SNIPPETS, ids=[t[:40] for _, t, _ in SNIPPETS])
def test_credentials_in_snippets(checker, fmt, text, secret):
    assert [excerpt for _, excerpt in secrets(checker, text, fmt)] == [secret]
