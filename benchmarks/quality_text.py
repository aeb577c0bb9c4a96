"""Toxicity and tone quality beside better-profanity, alt-profanity-check, their OR, and VADER.

Per task, in one run, precision / recall / F1 (positive class) and macro-F1:
- offensive = any ``profanity`` or ``toxicity`` finding, on tweeteval_offensive validation and the
  held-out half of davidson dev.csv (the other half trains the model; alt-profanity-check was
  trained on all of Davidson's data, so its figures there are in-sample);
- anger = a ``tone.anger`` finding, on tweeteval_emotion validation (anger vs the rest);
- negative = a ``tone.negative`` finding, on the held-out half of tweeteval_sentiment validation
  (the other half fits the model);
- sarcasm = a ``tone.sarcasm`` finding, on tweeteval_irony validation (postguard only).
Then calm posts, which should draw no model finding: the false-flag rate (a ``tone.anger``,
``tone.negative`` or ``tone.sarcasm`` finding, or any ``toxicity`` finding; also counted at warning
or above) on the held-out half's neutral and positive tweets of tweeteval_sentiment, the
non-offensive tweets of tweeteval_offensive validation and service-desk announcements generated from
templates (:func:`service_desk_posts`), beside VADER's rate (compound <= -0.05).
Then the per-tweet time of the profanity, toxicity and tone checks beyond the shared parse.

    python benchmarks/quality_text.py --data /work/shared/data
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from train_models import clean, prf, read_csv, split_half

from postguard.engine import Checker
from postguard.findings import Finding, Severity
from postguard.parsing import parse
from postguard.policy import load_policy
from postguard.post import Post

TARGETS = {"offensive": ("macro_f1", 0.80), "anger": ("f1", 0.82), "negative": ("f1", 0.68)}
CHECKS = ("profanity", "toxicity", "tone")


def datasets(data: Path) -> dict[str, tuple[str, list[str], np.ndarray]]:
    def xy(rows, positive):
        return [clean(r["text"]) for r in rows], np.array([int(positive(r)) for r in rows])

    _, dav_held = split_half(read_csv(data / "davidson_hate_offensive/dev.csv"), "class")
    _, sent_held = split_half(read_csv(data / "tweeteval_sentiment/validation.csv"), "label")
    return {
        "offensive/tweeteval_offensive val": ("offensive", *xy(
            read_csv(data / "tweeteval_offensive/validation.csv"), lambda r: r["label"] == "1")),
        "offensive/davidson held-out half": ("offensive", *xy(dav_held, lambda r: r["label"] == "1")),
        "anger/tweeteval_emotion val": ("anger", *xy(
            read_csv(data / "tweeteval_emotion/validation.csv"), lambda r: r["label"] == "0")),
        "negative/tweeteval_sentiment held-out half": ("negative", *xy(sent_held, lambda r: r["label"] == "0")),
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
    _, sent_held = split_half(read_csv(data / "tweeteval_sentiment/validation.csv"), "label")
    offensive = read_csv(data / "tweeteval_offensive/validation.csv")
    return {
        "tweeteval_sentiment held-out, neutral+positive": [clean(r["text"]) for r in sent_held if r["label"] != "0"],
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
    """offensive from the Report; tone kinds from the tone check's own findings.

    A Report keeps one finding per span (toxicity outranks tone, anger outranks negative), so an
    angry, negative sentence shows one highlight; the tone kinds are counted before that merge.
    """
    reports = checker.check_many(texts)
    cats = [{f.category for f in r.findings} for r in reports]
    (tone,) = [c for c in checker.checks_for(checker.policy, "generic") if c.name == "tone"]
    outputs = tone.run_many([parse(Post(text=t)) for t in texts])
    rules = [{getattr(o, "rule_id", None) for o in out} for out in outputs]
    return {
        "offensive": np.array([int("profanity" in c or "toxicity" in c) for c in cats]),
        "anger": np.array([int("tone.anger" in r) for r in rules]),
        "negative": np.array([int("tone.negative" in r) for r in rules]),
        "sarcasm": np.array([int("tone.sarcasm" in r) for r in rules]),
    }


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
          + f"   (goal <= 1 ms one by one, CPU: {'met' if totals['single CPU'] <= 1.0 else 'NOT met'})")


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
    sets = datasets(args.data)
    for name, (task, texts, y) in sets.items():
        pg = postguard_predictions(checker, texts)[task]
        print(f"\n{name}  ({len(y)} tweets, {int(y.sum())} positive)")
        ours = prf(y, pg)
        print(row("postguard", ours))
        for bname, pred in baselines(task, texts).items():
            m = prf(y, pred)
            key = TARGETS.get(task, ("f1", 0))[0]
            ratio = ours[key] / m[key] if m[key] else float("inf")
            print(row(bname, m) + f"   postguard {key} x{ratio:.2f}")
        if task in TARGETS:
            key, goal = TARGETS[task]
            print(f"  target {key} >= {goal}: {'met' if ours[key] >= goal else 'NOT met'} ({ours[key]:.3f})")
    calm_report(checker, args.data)
    timing(policy, sets["offensive/tweeteval_offensive val"][1][: args.speed_tweets], args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
