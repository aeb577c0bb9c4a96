"""Toxicity and tone quality beside better-profanity, alt-profanity-check, their OR, and VADER.

Every postguard figure is read from the ``Report`` a caller gets (``Checker.check_many``), in one
run, precision / recall / F1 (positive class) and macro-F1:
- offensive = any ``profanity`` or ``toxicity`` finding, on tweeteval_offensive validation and the
  held-out half of davidson dev.csv (the other half trains the model; alt-profanity-check was
  trained on all of Davidson's data, so its figures there are in-sample);
- anger = a ``tone.anger`` finding, on tweeteval_emotion validation (anger vs the rest) and on
  goemotions validation (anger, Reddit);
- negative = a ``tone.negative`` finding, on tweeteval_sentiment validation;
- sarcasm = a ``tone.sarcasm`` finding, on tweeteval_irony validation (postguard only);
- toxic spans = the characters under ``toxicity`` and ``profanity`` findings, on toxic_spans
  validation, scored as SemEval-2021 Task 5 does (per-post character F1, averaged; better-profanity's
  censored words as the baseline);
- calm official posts = the share of customer_care dev's official posts whose verdict is warn or
  block under the default policy (and the share from tone, toxicity and profanity alone);
- hostile replies = paired hostile and calm replies (tests/data/hostile_replies.tsv): the share of
  hostile ones with a tone, toxicity or profanity finding at warning or above, and of calm twins.
Then calm posts, which should draw no model finding: the false-flag rate (a ``tone.anger``,
``tone.negative`` or ``tone.sarcasm`` finding, or any ``toxicity`` finding; also counted at warning
or above) on tweeteval_sentiment's neutral and positive tweets, the non-offensive tweets of
tweeteval_offensive validation and service-desk announcements generated from templates
(:func:`service_desk_posts`), beside VADER's rate (compound <= -0.05). Then the per-tweet time of
the profanity, toxicity and tone checks beyond the shared parse, and the issue's table.

    python benchmarks/quality_text.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from train_models import clean, prf, read_csv, span_f1, split_half

from postguard.engine import Checker
from postguard.findings import Finding, Severity
from postguard.models.spans import WORD
from postguard.parsing import parse
from postguard.policy import load_policy
from postguard.post import Post

TARGETS = {"offensive": ("macro_f1", 0.80), "anger": ("f1", 0.82), "negative": ("f1", 0.70)}
# The table: (what, set, the key into the measured figures, goal, "min" or "max").
TABLE = (
    ("offensive macro-F1", "tweeteval_offensive validation", "offensive/tweeteval_offensive val", 0.80, "min"),
    ("anger F1", "tweeteval_emotion validation", "anger/tweeteval_emotion val", 0.82, "min"),
    ("anger F1", "goemotions validation", "anger/goemotions val", 0.45, "min"),
    ("negative F1", "tweeteval_sentiment validation", "negative/tweeteval_sentiment val", 0.70, "min"),
    ("toxic-span char-F1", "toxic_spans validation", "toxic spans", 0.62, "min"),
    ("warn-or-block rate on official posts", "customer_care dev, official", "official warn+", 0.01, "max"),
    ("hostile replies caught", "tests/data/hostile_replies.tsv", "hostile caught", 0.90, "min"),
    ("calm twins flagged", "tests/data/hostile_replies.tsv", "calm twins flagged", 0.03, "max"),
)
PAIRS = ROOT / "tests" / "data" / "hostile_replies.tsv"
TONE_CATEGORIES = ("tone", "toxicity", "profanity")
CHECKS = ("profanity", "toxicity", "tone")


def datasets(data: Path) -> dict[str, tuple[str, list[str], np.ndarray]]:
    def xy(rows, positive):
        return [clean(r["text"]) for r in rows], np.array([int(positive(r)) for r in rows])

    _, dav_held = split_half(read_csv(data / "davidson_hate_offensive/dev.csv"), "class")
    goemotions = list(csv.reader((data / "goemotions/validation.tsv").open(encoding="utf-8"), delimiter="\t"))
    return {
        "offensive/tweeteval_offensive val": ("offensive", *xy(
            read_csv(data / "tweeteval_offensive/validation.csv"), lambda r: r["label"] == "1")),
        "offensive/davidson held-out half": ("offensive", *xy(dav_held, lambda r: r["label"] == "1")),
        "anger/tweeteval_emotion val": ("anger", *xy(
            read_csv(data / "tweeteval_emotion/validation.csv"), lambda r: r["label"] == "0")),
        "anger/goemotions val": ("anger", [clean(r[0]) for r in goemotions],
                                 np.array([int("2" in r[1].split(",")) for r in goemotions])),
        "negative/tweeteval_sentiment val": ("negative", *xy(
            read_csv(data / "tweeteval_sentiment/validation.csv"), lambda r: r["label"] == "0")),
        "sarcasm/tweeteval_irony val": ("sarcasm", *xy(
            read_csv(data / "tweeteval_irony/validation.csv"), lambda r: r["label"] == "1")),
    }


# --- calm posts -------------------------------------------------------------------------------

_SERVICES = ("Email", "Wi-Fi", "the VPN", "Printing", "Moodle", "the library catalogue", "Teams",
             "the student portal", "Eduroam", "the payroll system", "Library PCs", "the phone system")
_PLACES = ("", " in the Edge building", " on the main campus", " in the Arts Tower", " for staff and students",
           " in halls of residence")
_TIMES = ("3pm", "10:30am", "noon", "5pm today", "9am tomorrow", "Friday afternoon", "the end of the day")
_WINDOWS = ("tonight from 10pm to midnight", "on Saturday between 6am and 9am", "this Sunday morning",
            "on Tuesday from 7pm", "overnight on Wednesday")
_TEMPLATES = {
    "outage": (
        "{S} is unavailable{P}. Our engineers are investigating and we will update by {T}.",
        "We are aware of an issue affecting {s}{P}. We will post an update by {T}.",
        "Some users may be unable to access {s}{P}. We are looking into it.",
        "{S} is currently unavailable{P} until further notice.",
        "We are investigating reports of problems with {s}{P}. Next update at {T}.",
        "Known issue: {s} is running slowly{P}. Engineers are working on a fix.",
    ),
    "maintenance": (
        "Planned maintenance: {s} will be unavailable {W}.",
        "{S} will be offline {W} for scheduled maintenance.",
        "Reminder: essential maintenance on {s} takes place {W}. Please save your work beforehand.",
        "Scheduled upgrade: {s}{P} may be intermittent {W}.",
    ),
    "restored": (
        "{S} is working normally again{P}. Thanks for your patience.",
        "Resolved: {s} has been restored{P}. Thank you for bearing with us.",
        "All services are running normally. Thanks for your patience.",
        "Update: the issue with {s} is fixed and the service is back{P}.",
        "Thanks for your patience: {s} is back and running normally.",
    ),
    "reminder": (
        "Reminder: the IT service desk is open until {T} and can help with {s}.",
        "Need help with {s}? Contact the service desk or visit our help pages.",
        "Please restart your computer before {T} to finish installing updates.",
        "Passwords for {s} expire every 90 days. You will get an email reminder a week before.",
    ),
    "apology": (
        "We apologise for the disruption to {s}{P} this morning.",
        "Sorry for the inconvenience caused by today's problems with {s}. It is now working again.",
        "We are sorry that {s} was unavailable{P}. We are reviewing what happened.",
        "Apologies to everyone affected by the {s} outage{P}. Service has been restored.",
    ),
}


def service_desk_posts(n: int = 300, seed: int = 7) -> list[str]:
    """``n`` distinct service-desk announcements (outage, maintenance, restored, reminder, apology):
    every template x service x place x time x window combination, sampled with a fixed seed."""
    import random

    combos = []
    for kind in sorted(_TEMPLATES):
        for template in _TEMPLATES[kind]:
            for s in _SERVICES:
                for place in _PLACES:
                    for t in _TIMES:
                        for w in _WINDOWS:
                            combos.append(template.format(S=s[:1].upper() + s[1:], s=s, P=place, T=t, W=w))
    uniq = sorted(set(combos))
    return random.Random(seed).sample(uniq, min(n, len(uniq)))


def calm_sets(data: Path) -> dict[str, list[str]]:
    sentiment = read_csv(data / "tweeteval_sentiment/validation.csv")
    offensive = read_csv(data / "tweeteval_offensive/validation.csv")
    return {
        "tweeteval_sentiment val, neutral+positive": [clean(r["text"]) for r in sentiment if r["label"] != "0"],
        "tweeteval_offensive val, not offensive": [clean(r["text"]) for r in offensive if r["label"] == "0"],
        "service-desk announcements (templates)": service_desk_posts(),
    }


MODEL_RULES = ("tone.anger", "tone.negative", "tone.sarcasm")


def calm_flags(checker: Checker, texts: list[str]) -> dict[str, np.ndarray]:
    """Per text: any model finding, one at warning or above, and each kind (tone and toxicity checks'
    own outputs, before the Report merges overlapping spans)."""
    checks = {c.name: c for c in checker.checks_for(checker.policy, "generic") if c.name in ("tone", "toxicity")}
    parsed = [parse(Post(text=t)) for t in texts]
    found = [[o for o in a + b if isinstance(o, Finding) and (o.category == "toxicity" or o.rule_id in MODEL_RULES)]
             for a, b in zip(checks["tone"].run_many(parsed), checks["toxicity"].run_many(parsed))]
    out = {
        "any": np.array([bool(f) for f in found]),
        "warning+": np.array([any(o.severity >= Severity.WARNING for o in f) for f in found]),
    }
    for rule in (*MODEL_RULES, "toxicity"):
        out[rule] = np.array([any(o.rule_id.startswith(rule) for o in f) for f in found])
    return out


def calm_report(checker: Checker, data: Path) -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    print("\ncalm posts: false-flag rate (lower is better; a calm post should draw no model finding)")
    for name, texts in calm_sets(data).items():
        flags = calm_flags(checker, texts)
        vader = np.mean([sia.polarity_scores(t)["compound"] <= -0.05 for t in texts])
        kinds = "  ".join(f"{k.split('.')[-1]} {flags[k].mean():.1%}" for k in (*MODEL_RULES, "toxicity"))
        print(f"  {name} ({len(texts)}): postguard any {flags['any'].mean():.1%}, warning+ "
              f"{flags['warning+'].mean():.1%}  [{kinds}]   VADER negative {vader:.1%}")


def postguard_predictions(checker: Checker, texts: list[str]) -> dict[str, np.ndarray]:
    """Each task's prediction from the Report a caller gets."""
    reports = checker.check_many(texts)
    cats = [{f.category for f in r.findings} for r in reports]
    rules = [{f.rule_id for f in r.findings} for r in reports]
    return {
        "offensive": np.array([int("profanity" in c or "toxicity" in c) for c in cats]),
        "anger": np.array([int("tone.anger" in r) for r in rules]),
        "negative": np.array([int("tone.negative" in r) for r in rules]),
        "sarcasm": np.array([int("tone.sarcasm" in r) for r in rules]),
    }


def toxic_spans(checker: Checker, data: Path) -> dict[str, float]:
    """Mean character F1 on toxic_spans validation: postguard's toxicity and profanity findings,
    and better-profanity's censored words."""
    from better_profanity import profanity

    rows = read_csv(data / "toxic_spans/validation.csv")
    texts = [r["text"] for r in rows]
    gold = [set(json.loads(r["spans"])) for r in rows]
    reports = checker.check_many(texts)
    ours = [{i for f in rep.findings if f.category in ("toxicity", "profanity") for i in range(f.start, f.end)}
            for rep in reports]
    theirs = [{i for m in WORD.finditer(t) if profanity.contains_profanity(m.group()) for i in range(*m.span())}
              for t in texts]
    return {"postguard": float(np.mean([span_f1(p, g) for p, g in zip(ours, gold)])),
            "better-profanity": float(np.mean([span_f1(p, g) for p, g in zip(theirs, gold)]))}


def official_posts(data: Path) -> dict[str, float]:
    """Warn-or-block share on customer_care dev's official posts under the full default policy, and
    the share from tone, toxicity and profanity findings alone."""
    posts = [json.loads(line) for line in (data / "customer_care/dev.jsonl").read_text().splitlines()]
    texts = [p["text"] for p in posts if p["official"]]
    reports = Checker().check_many(texts)
    ours = [any(f.category in TONE_CATEGORIES and f.severity >= Severity.WARNING for f in r.findings)
            for r in reports]
    by_rule: dict[str, int] = {}
    for r in reports:
        for rule in {f.rule_id for f in r.findings if f.severity >= Severity.WARNING}:
            by_rule[rule] = by_rule.get(rule, 0) + 1
    print(f"\ncustomer_care dev, official ({len(texts)}): warn or block {np.mean([r.verdict != 'pass' for r in reports]):.1%}"
          f" (tone, toxicity, profanity: {np.mean(ours):.1%}); posts per rule at warning+: "
          + ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items(), key=lambda kv: -kv[1])))
    return {"official warn+": float(np.mean([r.verdict != "pass" for r in reports])),
            "official warn+ (tone, toxicity, profanity)": float(np.mean(ours))}


def hostile_replies() -> dict[str, float]:
    """Paired hostile and calm replies through the full default policy."""
    with PAIRS.open(newline="", encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh, delimiter="\t"))
    checker = Checker()
    out = {}
    for col, key in (("hostile", "hostile caught"), ("calm", "calm twins flagged")):
        reports = checker.check_many([p[col] for p in pairs])
        flags = np.array([any(f.category in TONE_CATEGORIES and f.severity >= Severity.WARNING for f in r.findings)
                          for r in reports])
        held = np.arange(len(pairs)) % 4 == 3
        out[key] = float(flags.mean())
        out[key + " (held-out quarter)"] = float(flags[held].mean())
        out[key + " (verdict not pass)"] = float(np.mean([r.verdict != "pass" for r in reports]))
    print(f"\nhostile replies ({len(pairs)} pairs): " + ", ".join(f"{k} {v:.1%}" for k, v in out.items()))
    return out


def baselines(task: str, texts: list[str]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    if task == "offensive":
        from better_profanity import profanity
        from profanity_check import predict

        bp = np.array([int(profanity.contains_profanity(t)) for t in texts])
        apc = np.asarray(predict(texts)).astype(int)
        out = {"better-profanity": bp, "alt-profanity-check": apc, "OR of the two": bp | apc}
    elif task in ("anger", "negative"):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        sia = SentimentIntensityAnalyzer()
        # VADER's own convention: compound <= -0.05 is negative.
        out = {"VADER (compound <= -0.05)": np.array(
            [int(sia.polarity_scores(t)["compound"] <= -0.05) for t in texts])}
    return out


def row(name: str, m: dict[str, float]) -> str:
    return f"  {name:28s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} macro-F1={m['macro_f1']:.3f}"


def timing(policy, texts: list[str], repeat: int) -> None:
    """Per-check time as the engine runs them: in order, on the same parsed posts (toxicity pays for
    the shared model pass, tone reuses it)."""
    checker = Checker(policy=policy)
    checks = [c for c in checker.checks_for(policy, "generic") if c.name in CHECKS]
    print(f"\nspeed over {len(texts)} tweets, after the shared parse (best of {repeat}; ms/tweet;"
          " CPU = this process's CPU time, steadier than wall time on a shared machine):")
    best = {(c.name, k): float("inf") for c in checks for k in ("batch wall", "batch CPU", "single wall", "single CPU")}
    for _ in range(repeat):
        for mode in ("batch", "single"):
            parsed = [parse(Post(text=t)) for t in texts]
            for check in checks:
                w0, c0 = time.perf_counter(), time.process_time()
                if mode == "batch":
                    check.run_many(parsed)
                else:
                    for p in parsed:
                        list(check.run(p))
                wall, cpu = time.perf_counter() - w0, time.process_time() - c0
                for k, v in ((f"{mode} wall", wall), (f"{mode} CPU", cpu)):
                    best[check.name, k] = min(best[check.name, k], v / len(texts) * 1e3)
    keys = ("batch wall", "batch CPU", "single wall", "single CPU")
    for check in checks:
        print(f"  {check.name:10s} " + "  ".join(f"{k} {best[check.name, k]:.3f}" for k in keys))
    totals = {k: sum(best[c.name, k] for c in checks) for k in keys}
    print(f"  {'together':10s} " + "  ".join(f"{k} {v:.3f}" for k, v in totals.items())
          + f"   (toxicity + tone <= 2 ms one by one, CPU: "
          + ("met" if best["toxicity", "single CPU"] + best["tone", "single CPU"] <= 2.0 else "NOT met") + ")")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--speed-tweets", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--calm-only", action="store_true", help="only the calm-post false-flag rates")
    args = ap.parse_args(argv)

    base = load_policy()
    policy = base.model_copy(update={"checks": {k: v for k, v in base.checks.items() if k in CHECKS}})
    checker = Checker(policy=policy)
    if args.calm_only:
        calm_report(checker, args.data)
        return 0
    figures: dict[str, float] = {}
    baseline_figures: dict[str, str] = {}
    sets = datasets(args.data)
    for name, (task, texts, y) in sets.items():
        pg = postguard_predictions(checker, texts)[task]
        print(f"\n{name}  ({len(y)} texts, {int(y.sum())} positive)")
        ours = prf(y, pg)
        print(row("postguard", ours))
        key = TARGETS.get(task, ("f1", 0))[0]
        figures[name] = ours[key]
        others = []
        for bname, pred in baselines(task, texts).items():
            m = prf(y, pred)
            ratio = ours[key] / m[key] if m[key] else float("inf")
            print(row(bname, m) + f"   postguard {key} x{ratio:.2f}")
            others.append(f"{bname} {m[key]:.3f}")
        baseline_figures[name] = ", ".join(others)
    spans = toxic_spans(checker, args.data)
    print(f"\ntoxic_spans validation: char-F1 postguard {spans['postguard']:.3f}, better-profanity "
          f"{spans['better-profanity']:.3f}")
    figures["toxic spans"] = spans["postguard"]
    baseline_figures["toxic spans"] = f"better-profanity {spans['better-profanity']:.3f}"
    figures.update(official_posts(args.data))
    figures.update(hostile_replies())
    calm_report(checker, args.data)
    timing(policy, sets["offensive/tweeteval_offensive val"][1][: args.speed_tweets], args.repeat)
    print("\n| what | set | postguard | baselines | target |\n|---|---|---|---|---|")
    for what, where, key, goal, kind in TABLE:
        value = figures[key]
        met = value >= goal if kind == "min" else value <= goal
        shown = f"{value:.1%}" if kind == "max" or "caught" in key else f"{value:.3f}"
        target = ("≥ " if kind == "min" else "≤ ") + (f"{goal:.0%}" if kind == "max" or "caught" in key else f"{goal}")
        print(f"| {what} | {where} | {shown} | {baseline_figures.get(key, '')} | {target} {'met' if met else 'NOT met'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
