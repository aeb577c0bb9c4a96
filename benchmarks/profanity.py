"""Profanity: speed, recall on disguised words, and false flags on Scunthorpe, beside better-profanity.

- speed: per-tweet time of postguard's profanity check (on the shared parse, and with the parse)
  against better-profanity's ``contains_profanity`` on the same tweets
  (``<data>/tweeteval_offensive/validation.csv``), printed as a ratio (goal: >= 100x);
- recall on a generated disguised-profanity set: every strong word of postguard's list that
  better-profanity also lists, disguised each way (leetspeak, three separators, repeated letters,
  zero-width characters, Cyrillic homoglyphs, styled Unicode letters, masks, strike-through
  marks), each in a sentence (goal: >= 0.95);
- false flags on a list of place names, surnames and ordinary words that contain a listed string
  (goal: 0).

    python benchmarks/profanity.py --data ../shared/data [--baseline-tweets 150]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from better_profanity import profanity as better_profanity

from postguard.checks.profanity import ProfanityCheck, default_lexicon
from postguard.parsing import parse
from postguard.policy import load_policy
from postguard.post import Post

GOALS = {"speed_ratio": 100.0, "disguised_recall": 0.95, "scunthorpe_false_flags": 0}

SCUNTHORPE = [
    "Scunthorpe", "Penistone", "Essex", "Middlesex", "Sussex", "Wessex", "Cockburn", "Cockermouth",
    "Dickens", "Dickinson", "Hancock", "Matsushita", "Shitterton", "Lightwater", "Clitheroe",
    "Cumbria", "Twatt", "Alan Cumming", "Dominic Cummings", "Dick Van Dyke", "Moby-Dick",
    "Fanny Burney", "Maine Coon", "Homo sapiens", "Niger", "Arsenal", "Hitchcock", "Babcock",
    "Cockfosters", "Titchfield", "Knutsford", "Bitchfield", "Wankie", "Cumnock", "Crapstone",
    "Scrabster", "Pershore", "Assington", "Sandwich", "Horsham", "Shittington",
    "cocktail", "cocky", "cockerel", "cocker spaniel", "peacock", "stopcock", "woodcock",
    "assassin", "assess", "assessment", "bass", "class", "classic", "passage", "analysis",
    "grape", "therapist", "shiitake", "shitake", "cumulative", "cucumber", "summa cum laude",
    "kitchen-cum-diner", "titmouse", "blue tits", "titan", "title", "constitution", "tit-for-tat",
    "spick and span", "a chink in the armour", "spicy", "spices", "spiky", "SPAC", "hello",
    "shell", "scrap", "skyscraper", "document", "circumstance", "Dorking", "honky-tonk",
    "hell-bent", "niggle", "niggling", "snigger", "damning", "cocked", "half-cocked", "pricked",
    "sauerkraut", "raccoon", "hassle", "massive", "harassment", "embarrass", "butter", "buttress",
    "pennis", "pianist", "mishit", "shuttlecock", "Dickensian", "Sextant", "Essexshire",
    "a pussy cat", "pussy willow", "a fag break", "faggots and peas", "spastic diplegia",
    "keep your pecker up", "Cock Lane", "Great Tit", "cum laude", "Hell's Kitchen", "bloody nose",
]

LEET = {"a": "@", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7", "l": "1", "u": "v"}
CYRILLIC = {"a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "s": "ѕ", "x": "х", "y": "у",
            "h": "һ", "k": "к", "t": "т", "j": "ј"}
ZW = "\u200b"


def styled(word: str) -> str:
    """Mathematical bold letters: 𝐟𝐮𝐜𝐤."""
    return "".join(chr(0x1D41A + ord(c) - ord("a")) if "a" <= c <= "z" else c for c in word)


def repeated(word: str) -> str:
    """The first vowel held: fuuuuck (the last letter when there is no vowel)."""
    for i, c in enumerate(word):
        if c in "aeiou":
            return word[:i] + c * 5 + word[i + 1 :]
    return word + word[-1] * 4


def leet(word: str) -> str:
    return "".join(LEET.get(c, c) for c in word)


def homoglyphs(word: str) -> str:
    return "".join(CYRILLIC.get(c, c) for c in word)


def masked(word: str) -> str:
    """One vowel starred: f*ck, sh*t (the second letter when there is no inner vowel)."""
    for i, c in enumerate(word[1:-1], start=1):
        if c in "aeiou":
            return word[:i] + "*" + word[i + 1 :]
    return word[0] + "*" + word[2:]


DISGUISES = {
    "plain": lambda w: w,
    "leet": leet,
    "separators .": lambda w: ".".join(w),
    "separators space": lambda w: " ".join(w),
    "separators -": lambda w: "-".join(w),
    "repeated letters": repeated,
    "zero-width": lambda w: ZW.join(w),
    "homoglyphs": homoglyphs,
    "styled letters": styled,
    "masks": masked,
    "combining marks": lambda w: "".join(c + "\u0336" for c in w),
}


def disguised_set(baseline_words: set[str]) -> list[tuple[str, str, str]]:
    """(disguise, word, sentence) for every strong single word both lists hold."""
    lexicon = default_lexicon()
    words = [w for w, g in lexicon.words.items() if g == "strong" and w.isalpha() and w in baseline_words]
    out = []
    for word in words:
        for name, disguise in DISGUISES.items():
            out.append((name, word, f"honestly that was {disguise(word)} again"))
    return out


def load_tweets(data: Path) -> list[tuple[str, int]]:
    path = data / "tweeteval_offensive" / "validation.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [(row["text"], int(row["label"])) for row in csv.DictReader(fh)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--baseline-tweets", type=int, default=150,
                    help="tweets timed for better-profanity (it takes ~50 ms a tweet)")
    ap.add_argument("--repeat", type=int, default=5, help="passes over the tweets for postguard's timing")
    args = ap.parse_args(argv)

    policy = load_policy()
    check = ProfanityCheck(policy.enabled_checks().get("profanity", {}), policy)
    better_profanity.load_censor_words()

    def postguard_flags(text: str) -> bool:
        return any(True for _ in check.run(parse(Post(text=text))))

    # -------------------------------------------------------------- speed
    tweets = load_tweets(args.data)
    texts = [t for t, _ in tweets]
    sample = texts[: args.baseline_tweets]
    parsed = [parse(Post(text=t)) for t in texts]
    for p in parsed[:50]:  # warm up
        list(check.run(p))
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for p in parsed:
            list(check.run(p))
    pg_us = (time.perf_counter() - t0) / (args.repeat * len(parsed)) * 1e6
    t0 = time.perf_counter()
    for t in texts:
        list(check.run(parse(Post(text=t))))
    pg_parse_us = (time.perf_counter() - t0) / len(texts) * 1e6
    sample_parsed = parsed[: len(sample)]
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for p in sample_parsed:
            list(check.run(p))
    pg_sample_us = (time.perf_counter() - t0) / (args.repeat * len(sample)) * 1e6
    t0 = time.perf_counter()
    bp_flags = [better_profanity.contains_profanity(t) for t in sample]
    bp_us = (time.perf_counter() - t0) / len(sample) * 1e6
    ratio = bp_us / pg_sample_us

    print("== profanity: speed (tweeteval_offensive validation) ==")
    print(f"postguard check, shared parse: {pg_us:9.1f} us/tweet  ({len(texts)} tweets x {args.repeat})")
    print(f"postguard parse + check:       {pg_parse_us:9.1f} us/tweet")
    print(f"postguard check on the sample: {pg_sample_us:9.1f} us/tweet  ({len(sample)} tweets)")
    print(f"better-profanity contains_profanity: {bp_us:9.1f} us/tweet  (same {len(sample)} tweets)")
    print(f"speed ratio: {ratio:,.0f}x  (goal >= {GOALS['speed_ratio']:.0f}x) "
          f"{'OK' if ratio >= GOALS['speed_ratio'] else 'BELOW GOAL'}")
    print(f"  with the parse: {bp_us / pg_parse_us:,.0f}x")

    pg_flags = [bool(list(check.run(p))) for p in parsed]
    flagged_pg = sum(pg_flags[: len(sample)])
    labels = [y for _, y in tweets]

    def precision(flags: list[bool]) -> float:
        return sum(1 for f, y in zip(flags, labels) if f and y) / max(sum(flags), 1)

    print(f"tweets flagged in the sample: postguard {flagged_pg}/{len(sample)} "
          f"(precision vs the offensive label {precision(pg_flags[: len(sample)]):.3f}), "
          f"better-profanity {sum(bp_flags)}/{len(sample)} ({precision(bp_flags):.3f})")
    # postguard flags any graded word; an offensive label is wider (insults without swearing)
    tp = sum(1 for f, y in zip(pg_flags, labels) if f and y)
    print(f"postguard on all {len(texts)} tweets: flags {sum(pg_flags)}, precision vs the offensive "
          f"label {tp / max(sum(pg_flags), 1):.3f}, recall {tp / max(sum(labels), 1):.3f}")

    # -------------------------------------------------------------- disguised recall
    source = Path(better_profanity._default_wordlist_filename)
    baseline_words = {w.strip().lower() for w in source.read_text(encoding="utf-8").splitlines() if w.strip()}
    cases = disguised_set(baseline_words)
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # postguard, baseline, total
    misses: dict[str, list[str]] = defaultdict(list)
    for name, word, sentence in cases:
        pg = postguard_flags(sentence)
        bp = better_profanity.contains_profanity(sentence)
        h = hits[name]
        h[0] += pg
        h[1] += bp
        h[2] += 1
        if not pg:
            misses[name].append(sentence)
    words = len({w for _, w, _ in cases})
    print(f"\n== profanity: recall on {len(cases)} disguised sentences ({words} strong words x "
          f"{len(DISGUISES)} ways) ==")
    print(f"{'disguise':<18} {'postguard':>10} {'better-profanity':>17}")
    for name in DISGUISES:
        pg, bp, n = hits[name]
        print(f"{name:<18} {pg / n:>10.3f} {bp / n:>17.3f}")
    disguised = [n for n in DISGUISES if n != "plain"]
    pg_all = sum(hits[n][0] for n in disguised) / sum(hits[n][2] for n in disguised)
    bp_all = sum(hits[n][1] for n in disguised) / sum(hits[n][2] for n in disguised)
    print(f"{'all disguises':<18} {pg_all:>10.3f} {bp_all:>17.3f}   (goal >= {GOALS['disguised_recall']}) "
          f"{'OK' if pg_all >= GOALS['disguised_recall'] else 'BELOW GOAL'}")
    for name, missed in misses.items():
        more = " ..." if len(missed) > 5 else ""
        print(f"  missed ({name}): {', '.join(repr(m) for m in missed[:5])}{more}")

    # -------------------------------------------------------------- Scunthorpe
    pg_false = [s for s in SCUNTHORPE if postguard_flags(s)]
    bp_false = [s for s in SCUNTHORPE if better_profanity.contains_profanity(s)]
    print(f"\n== profanity: false flags on {len(SCUNTHORPE)} Scunthorpe names and words ==")
    print(f"postguard: {len(pg_false)} (goal {GOALS['scunthorpe_false_flags']}) "
          f"{'OK' if len(pg_false) <= GOALS['scunthorpe_false_flags'] else 'ABOVE GOAL'}"
          f"{': ' + ', '.join(pg_false) if pg_false else ''}")
    print(f"better-profanity: {len(bp_false)}{': ' + ', '.join(bp_false) if bp_false else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
