"""The shared spaCy pipeline: loaded once, without spaCy's CLI, with BLAS held to one thread."""

from __future__ import annotations

import subprocess
import sys

from postguard.nlp import lemmatize, load_nlp, parse, parse_many


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_checking_does_not_import_spacys_cli_and_the_cli_still_works_later():
    out = _run(
        "import sys, postguard\n"
        "postguard.check('Email jo@example.com about the outage')\n"
        "print('spacy.cli' in sys.modules, 'typer' in sys.modules)\n"
        "import spacy\n"
        "assert spacy.info()['spacy_version'] == spacy.__version__\n"
        "import spacy.cli\n"
        "print(callable(spacy.cli.download))\n"
    )
    assert out.splitlines() == ["False False", "True"]


def test_parse_and_parse_many_agree():
    texts = ["Jo Bloggs lives in Leeds.", "The VPN is down again", ""]
    one = [[(t.text, t.ent_type_) for t in parse(x)] for x in texts]
    many = [[(t.text, t.ent_type_) for t in d] for d in parse_many(texts)]
    assert one == many
    assert one[0][:2] == [("Jo", "PERSON"), ("Bloggs", "PERSON")]


def test_tags_and_lemmas_only_on_demand():
    doc = parse("The printers were offline")
    assert not doc.has_annotation("TAG") and not doc.has_annotation("LEMMA")
    doc = lemmatize(doc)
    assert [t.tag_ for t in doc] == ["DT", "NNS", "VBD", "JJ"]
    assert [t.lemma_ for t in doc] == ["the", "printer", "be", "offline"]


def test_pipeline_runs_numpy_matmul_with_blas_on_one_thread():
    from threadpoolctl import threadpool_info

    nlp = load_nlp()
    ops = {type(node.ops).__name__ + str(getattr(node.ops, "use_blis", "")) for _, c in nlp.components
           if getattr(c, "model", None) is not None for node in c.model.walk()}
    assert ops == {"NumpyOpsFalse"}
    from postguard import nlp as module

    # The BLAS libraries loaded with spaCy, numpy's among them (others a test run loads later, such
    # as scipy's, are not what the pipeline calls).
    limiter = module._blas_limiter()
    numpy_blas = {i["filepath"] for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"]}
    assert numpy_blas <= {c.filepath for c in limiter.lib_controllers}
    with module._one_blas_thread():
        assert limiter.lib_controllers and {c.num_threads for c in limiter.lib_controllers} == {1}
