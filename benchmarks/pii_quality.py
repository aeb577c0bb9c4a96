"""PII quality: postguard's ``pii`` check beside presidio's default AnalyzerEngine, same data, same run.

Reads span-labelled JSONL (``{"text", "spans": [{"start", "end", "label"}]}``) from ``--data``:

    presidio_synth_pii/dev.jsonl              synthetic PII sentences (development split)
    broad_twitter_corpus/validation.jsonl     real tweets, PER/LOC/ORG
    wnut17_emerging_entities/validation.jsonl real social-media text, person/location/...

and prints per-entity precision, recall and F1 with overlap matching: a prediction is correct when
it overlaps a gold span of the same scored type; a gold span is found when a prediction of its type
overlaps it. Micro scores pool every scored type.

Label mapping (gold -> scored type; anything unlisted is not scored, and predictions of unscored
types are ignored, for both systems alike):

    presidio_synth_pii  PERSON -> PERSON; GPE, STREET_ADDRESS -> LOCATION; ZIP_CODE -> POSTCODE;
                        US_SSN -> NATIONAL_ID; CREDIT_CARD, PHONE_NUMBER, EMAIL_ADDRESS, IBAN_CODE,
                        IP_ADDRESS keep their names. ORGANIZATION, DATE_TIME, TITLE, AGE, NRP,
                        DOMAIN_NAME, US_DRIVER_LICENSE are not a risk in a post: not scored.
    broad_twitter_corpus PER -> PERSON, LOC -> LOCATION (ORG not scored). "without @-mentions":
                        gold spans flagged is_mention are removed and predictions overlapping them
                        are ignored (the corpus writes "@user" as "@ user"; handles are not PII).
    wnut17              person -> PERSON, location -> LOCATION (the other four types not scored).

Predictions -> scored type:

    postguard  PERSON; LOCATION, STREET_ADDRESS -> LOCATION; POSTCODE; UK_NINO, UK_NHS, US_SSN ->
               NATIONAL_ID; CREDIT_CARD, PHONE_NUMBER, EMAIL_ADDRESS, IBAN_CODE, IP_ADDRESS.
    presidio   PERSON; LOCATION; US_SSN, US_ITIN, US_PASSPORT, US_DRIVER_LICENSE, UK_NHS, UK_NINO
               and the other national identity numbers -> NATIONAL_ID; US_BANK_NUMBER -> IBAN_CODE
               (a bank account number); CREDIT_CARD, PHONE_NUMBER, EMAIL_ADDRESS, IBAN_CODE,
               IP_ADDRESS. DATE_TIME, URL, NRP, ORGANIZATION, ... are not scored.

presidio's default engine is built as its docs show, with the small English spaCy pipeline (the
one postguard ships) instead of downloading en_core_web_lg, and its email validator pointed at
tldextract's bundled suffix list so the run needs no network.

    python benchmarks/pii_quality.py --data ../shared/data [--limit N] [--sets synth,btc,wnut17]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

SETS = {
    "synth": ("presidio_synth_pii/dev.jsonl", ("PERSON", "LOCATION", "CREDIT_CARD", "PHONE_NUMBER",
                                              "EMAIL_ADDRESS", "IBAN_CODE", "NATIONAL_ID", "POSTCODE",
                                              "IP_ADDRESS")),
    "btc": ("broad_twitter_corpus/validation.jsonl", ("PERSON", "LOCATION")),
    "wnut17": ("wnut17_emerging_entities/validation.jsonl", ("PERSON", "LOCATION")),
}
TARGETS = {"synth": 0.88, "btc": 0.68, "wnut17": 0.58}

GOLD_MAP = {
    "synth": {"PERSON": "PERSON", "GPE": "LOCATION", "STREET_ADDRESS": "LOCATION", "ZIP_CODE": "POSTCODE",
              "US_SSN": "NATIONAL_ID", "CREDIT_CARD": "CREDIT_CARD", "PHONE_NUMBER": "PHONE_NUMBER",
              "EMAIL_ADDRESS": "EMAIL_ADDRESS", "IBAN_CODE": "IBAN_CODE", "IP_ADDRESS": "IP_ADDRESS"},
    "btc": {"PER": "PERSON", "LOC": "LOCATION"},
    "wnut17": {"person": "PERSON", "location": "LOCATION"},
}
_SAME = ("PERSON", "LOCATION", "CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "IP_ADDRESS")
POSTGUARD_MAP = {**{k: k for k in _SAME}, "STREET_ADDRESS": "LOCATION", "POSTCODE": "POSTCODE",
                 "UK_NINO": "NATIONAL_ID", "UK_NHS": "NATIONAL_ID", "US_SSN": "NATIONAL_ID"}
PRESIDIO_MAP = {**{k: k for k in _SAME}, "US_BANK_NUMBER": "IBAN_CODE"}
_PRESIDIO_IDS = ("US_SSN", "US_ITIN", "US_PASSPORT", "US_DRIVER_LICENSE", "UK_NHS", "UK_NINO", "ES_NIF",
                 "ES_NIE", "IT_FISCAL_CODE", "IT_DRIVER_LICENSE", "IT_VAT_CODE", "IT_PASSPORT",
                 "IT_IDENTITY_CARD", "PL_PESEL", "SG_NRIC_FIN", "AU_TFN", "AU_MEDICARE", "IN_PAN",
                 "IN_AADHAAR", "IN_PASSPORT", "IN_VOTER", "FI_PERSONAL_IDENTITY_CODE", "KR_RRN")
PRESIDIO_MAP.update({k: "NATIONAL_ID" for k in _PRESIDIO_IDS})

Span = tuple[int, int, str]


def load(path: Path, name: str, limit: int | None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            gold, ignore = [], []
            for s in row["spans"]:
                if s.get("is_mention"):
                    ignore.append((s["start"], s["end"]))
                    continue
                label = GOLD_MAP[name].get(s["label"])
                if label:
                    gold.append((s["start"], s["end"], label))
            rows.append({"text": row["text"], "gold": gold, "ignore": ignore})
            if limit and len(rows) >= limit:
                break
    return rows


def score(rows: list[dict], preds: list[list[Span]], types: Iterable[str]) -> dict[str, tuple[int, int, int, int]]:
    """Per type: (predictions correct, predictions, gold found, gold)."""
    out: dict[str, list[int]] = {t: [0, 0, 0, 0] for t in types}
    for row, pred in zip(rows, preds):
        pred = [p for p in pred if p[2] in out and not _overlaps_any(p, row["ignore"])]
        for p in pred:
            out[p[2]][1] += 1
            out[p[2]][0] += any(_overlap(p, g) and g[2] == p[2] for g in row["gold"])
        for g in row["gold"]:
            if g[2] not in out:
                continue
            out[g[2]][3] += 1
            out[g[2]][2] += any(_overlap(p, g) and g[2] == p[2] for p in pred)
    return {t: tuple(v) for t, v in out.items()}  # type: ignore[misc]


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _overlaps_any(p: Span, spans: list[tuple[int, int]]) -> bool:
    return any(_overlap(p, s) for s in spans)


def prf(c: tuple[int, int, int, int]) -> tuple[float, float, float]:
    p = c[0] / c[1] if c[1] else 0.0
    r = c[2] / c[3] if c[3] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def micro(counts: dict[str, tuple[int, int, int, int]]) -> tuple[float, float, float]:
    tot = [sum(c[i] for c in counts.values()) for i in range(4)]
    return prf(tuple(tot))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# The two systems


def postguard_system(config: dict | None = None) -> Callable[[list[str]], list[list[Span]]]:
    from postguard.engine import Checker
    from postguard.policy import load_policy

    base = load_policy()
    pii = dict(base.checks.get("pii", {}))
    pii["enabled"] = True
    pii.update(config or {})
    policy = base.model_copy(update={"checks": {"pii": pii}, "severity": {}, "allowlist": ()})
    checker = Checker(policy)

    def run(texts: list[str]) -> list[list[Span]]:
        out = []
        for report in checker.check_many(texts):
            out.append([(f.start, f.end, POSTGUARD_MAP.get(f.entity or "", "")) for f in report.findings
                        if f.category == "pii"])
        return out

    return run


def presidio_system() -> Callable[[list[str]], list[list[Span]]]:
    from types import SimpleNamespace

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    from postguard.checks.pii import offline_tldextract
    from postguard.nlp import model_name

    email_recognizer.tldextract = SimpleNamespace(extract=offline_tldextract())  # no network
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model_name()}]})
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine())

    def run(texts: list[str]) -> list[list[Span]]:
        return [[(r.start, r.end, PRESIDIO_MAP.get(r.entity_type, "")) for r in analyzer.analyze(t, "en")]
                for t in texts]

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--sets", default="synth,btc,wnut17")
    ap.add_argument("--limit", type=int, default=None, help="first N rows of each set (quick runs)")
    ap.add_argument("--no-baseline", action="store_true", help="skip presidio's default engine")
    ap.add_argument("--errors", type=int, default=0, help="print N postguard errors per set")
    ap.add_argument("--config", help='JSON merged over the pii settings, e.g. \'{"names": {"ner": "spacy"}}\'')
    ap.add_argument("--split", choices=("dev", "train"), default="dev",
                    help="train: the training splits (btc, wnut17), for tuning without touching dev")
    args = ap.parse_args(argv)

    systems = {"postguard": postguard_system(json.loads(args.config) if args.config else None)}
    if not args.no_baseline:
        systems["presidio"] = presidio_system()
    failed = False
    for name in args.sets.split(","):
        rel, types = SETS[name]
        if args.split == "train":
            rel = rel.replace("validation.jsonl", "train.jsonl")
        rows = load(args.data / rel, name, args.limit)
        texts = [r["text"] for r in rows]
        results, preds_by = {}, {}
        for sysname, run in systems.items():
            t = time.perf_counter()
            preds = run(texts)
            ms = (time.perf_counter() - t) * 1000 / max(len(texts), 1)
            results[sysname] = (score(rows, preds, types), ms)
            preds_by[sysname] = preds
        print(f"\n== {name}: {rel} ({len(rows)} texts; overlap matching)")
        header = f"{'entity':<14}" + "".join(f"{s + ' P/R/F1':>26}" for s in systems) + f"{'gold':>6}"
        print(header)
        for t in types:
            line = f"{t:<14}"
            for sysname in systems:
                c = results[sysname][0][t]
                p, r, f = prf(c)
                line += f"{p:>10.3f}{r:>8.3f}{f:>8.3f}"
            print(line + f"{results['postguard'][0][t][3]:>6}")
        line = f"{'micro':<14}"
        for sysname in systems:
            p, r, f = micro(results[sysname][0])
            line += f"{p:>10.3f}{r:>8.3f}{f:>8.3f}"
        print(line)
        ours = micro(results["postguard"][0])[2]
        summary = f"postguard micro-F1 {ours:.3f} (target >= {TARGETS[name]:.2f})"
        if "presidio" in results:
            theirs = micro(results["presidio"][0])[2]
            summary += f"; presidio {theirs:.3f}; ratio {ours / theirs if theirs else float('inf'):.2f}x"
            failed |= ours <= theirs
        failed |= ours < TARGETS[name]
        print(summary + "; ms/text " + ", ".join(f"{s} {results[s][1]:.2f}" for s in systems))
        if args.errors:
            _print_errors(rows, preds_by["postguard"], types, args.errors)
    return 1 if failed else 0


def _print_errors(rows: list[dict], preds: list[list[Span]], types: Iterable[str], n: int) -> None:
    kinds: Counter[str] = Counter()
    shown = 0
    for row, pred in zip(rows, preds):
        pred = [p for p in pred if p[2] in types and not _overlaps_any(p, row["ignore"])]
        fps = [p for p in pred if not any(_overlap(p, g) and g[2] == p[2] for g in row["gold"])]
        fns = [g for g in row["gold"] if not any(_overlap(p, g) and g[2] == p[2] for p in pred)]
        for p in fps:
            kinds["FP " + p[2]] += 1
        for g in fns:
            kinds["FN " + g[2]] += 1
        if (fps or fns) and shown < n:
            shown += 1
            t = row["text"]
            print("  ", repr(t[:200]))
            print("     FP", [(t[a:b], l) for a, b, l in fps], "FN", [(t[a:b], l) for a, b, l in fns])
    print("  error counts:", dict(kinds.most_common()))


if __name__ == "__main__":
    raise SystemExit(main())
