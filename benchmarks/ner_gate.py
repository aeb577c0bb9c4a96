"""Which sentences go to spaCy's entity recogniser: each way of choosing, on held-out tweets.

For every option prints the share of tweets with at least one window and of tokens in windows,
the recall of the recogniser's own PERSON/GPE/LOC/FAC entities on the whole text (the teacher:
an entity counts when the windowed parse has it with the same span and label), the same for the
name-like ones alone (a letter, no handle, hashtag, digit or link), the parse's CPU per tweet
(``nlp.parse_many``, batched and one tweet a call) and for the 11 KB post of ``benchmarks/speed.py``,
the least of ``--rounds`` rounds that time each option in turn (same run, so compare the ratios),
and with ``--pii`` the three PII micro-F1s of ``benchmarks/pii_quality.py`` (synth / BTC / WNUT-17).

    every token     the recogniser on the whole text
    broad reason    ``ner_windows._reason``: what a policy asking for other labels gets
    refined rules   the broad reason without its commonest misfires: a stop word or an all-caps
                    common word is never a reason on its own, nor a capitalised common word past
                    the first unless another capitalised word is beside it
    learned gate    ``ner_gate``: the shipped logistic regression and threshold

Tweets: tweeteval_offensive validation (never read by scripts/train_ner_gate.py).

    python benchmarks/ner_gate.py --data ../shared/data [--tweets 1000] [--pii]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import time
from contextlib import ExitStack, redirect_stdout
from pathlib import Path
from unittest import mock

from postguard.ner_gate import LABELS as GATED, name_like



def refined_rules(doc, start: int, end: int) -> bool:
    """The broad reason less stop words, all-caps common words, lone capitalised common words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from postguard.checks.pii.lists import common_words, name_lists, place_names

    first, common, places = name_lists()[0], common_words(), place_names()
    initial = True
    prev_cap = False
    for t in doc[start:end]:
        w = t.text
        if not w[:1].isalpha():
            prev_cap = False
            continue
        lower = w.lower()
        if w.islower():
            if (w.title() in first and w not in common) or w in places:
                return True
            prev_cap = False
        elif w[:1].isupper():
            named = w.title() in first or lower in places
            if lower in STOP_WORDS and not named:
                prev_cap = False
            elif w.isupper() and len(w) > 1:
                if lower not in common or named:
                    return True
                prev_cap = False
            else:
                if lower not in common or named or (not initial and prev_cap):
                    return True
                prev_cap = not initial
        initial = False
    return False


def options():
    """``(name, patches to apply, labels to ask for)`` of each option."""
    from postguard import ner_windows

    def broad(reason):
        # any label outside the gate's takes ``_reason``; swap it for the option's rule
        return [
            mock.patch.object(ner_windows, "GATED", frozenset()),
            mock.patch.object(ner_windows, "_reason", reason),
        ]

    return [
        ("every token", broad(lambda doc, a, b: True)),
        ("broad reason", broad(ner_windows._reason)),
        ("refined rules", broad(refined_rules)),
        ("learned gate", []),
    ]


def load_tweets(data: Path, limit: int) -> list[str]:
    with (data / "tweeteval_offensive" / "validation.csv").open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row, _ in zip(csv.DictReader(fh), range(limit))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--tweets", type=int, default=1000)
    ap.add_argument("--pii", action="store_true", help="also the PII micro-F1s (about 10 s an option)")
    ap.add_argument("--rounds", type=int, default=3, help="timing rounds, the least kept (default 3)")
    args = ap.parse_args(argv)

    from postguard.nlp import load_nlp, parse_many

    tweets = load_tweets(args.data, args.tweets)
    blog = _blog_post()
    nlp = load_nlp()
    teacher = list(nlp.get_pipe("ner").pipe(nlp.make_doc(t) for t in tweets))
    gold = [{(e.start_char, e.end_char, e.label_) for e in d.ents if e.label_ in GATED} for d in teacher]
    names = [{g for g in golds if name_like(t[g[0] : g[1]])} for golds, t in zip(gold, tweets)]
    n_gold, n_names = sum(map(len, gold)), sum(map(len, names))
    share = sum(1 for g in gold if g) / len(tweets)
    print(f"{len(tweets)} tweets (tweeteval_offensive validation); the recogniser on the whole text finds "
          f"a PERSON/GPE/LOC/FAC in {share:.1%} of them ({n_gold} entities, "
          f"{n_names} name-like: a letter, no handle, hashtag, digit or link)")
    print(f"{'option':<15}{'tweets sent':>12}{'tokens sent':>12}{'recall':>8}{'names':>7}"
          f"{'batched':>8}{'by one':>8}{'post ms':>9}"
          + (f"{'synth / BTC / WNUT-17':>24}" if args.pii else ""))
    # timings in rounds, each option in turn, the least of each kept: the machine is shared, and
    # one option timed after another drifts with the load more than the options differ
    timing: dict[str, list[float]] = {}
    lines: dict[str, tuple[str, str]] = {}
    for round_ in range(args.rounds + 1):
        for name, patches in options():
            with ExitStack() as stack:
                for p in patches:
                    stack.enter_context(p)
                if round_ == 0:
                    lines[name] = _figures(name, tweets, gold, names, args.pii, args.data)
                    parse_many(tweets[:50], labels=GATED)  # warm up
                    continue
                times = [
                    _cpu(lambda: parse_many(tweets, labels=GATED)) / len(tweets),
                    _cpu(lambda: [parse_many([t], labels=GATED) for t in tweets]) / len(tweets),
                    _cpu(lambda: parse_many([blog], labels=GATED)),
                ]
                timing[name] = [min(a, b) for a, b in zip(timing.get(name, times), times)]
    for name, (shares, pii) in lines.items():
        batched, one, post = timing[name]
        print(f"{name:<15}{shares}{batched:>8.3f}{one:>8.3f}{post:>9.1f}{pii}")
    return 0


def _figures(name: str, tweets: list[str], gold, names, with_pii: bool, data: Path) -> tuple[str, str]:
    """Shares sent and recall of one option (its patches applied), and its PII figures."""
    from postguard.ner_windows import windows
    from postguard.nlp import load_nlp, parse_many

    nlp = load_nlp()
    docs = [nlp.make_doc(t) for t in tweets]
    wins = [windows(d, GATED) for d in docs]
    sent = sum(1 for w in wins if w) / len(docs)
    tokens = sum(b - a for w in wins for a, b in w) / sum(len(d) for d in docs)
    got = [{(e.start_char, e.end_char, e.label_) for e in d.ents} for d in parse_many(tweets, labels=GATED)]
    found = sum(len(g & d) for g, d in zip(gold, got)) / sum(map(len, gold))
    found_names = sum(len(g & d) for g, d in zip(names, got)) / sum(map(len, names))
    out = f"{sent:>12.1%}{tokens:>12.1%}{found:>8.1%}{found_names:>7.1%}"
    return out, (f"{pii_figures(data):>24}" if with_pii else "")


def _cpu(run) -> float:
    """CPU milliseconds of one call of ``run``."""
    t0 = time.process_time()
    run()
    return (time.process_time() - t0) * 1000


def _blog_post() -> str:
    import importlib.util

    spec = importlib.util.spec_from_file_location("speed", Path(__file__).with_name("speed.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.blog_post()


def pii_figures(data: Path) -> str:
    """``synth / btc / wnut17`` micro-F1 from benchmarks/pii_quality.py, run in this process."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("pii_quality", Path(__file__).with_name("pii_quality.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    with redirect_stdout(out):
        module.main(["--data", str(data), "--no-baseline"])
    return " / ".join(re.findall(r"postguard micro-F1 ([0-9.]+)", out.getvalue()))


if __name__ == "__main__":
    raise SystemExit(main())
