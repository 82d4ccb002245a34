"""The Python API tags exactly like the CLI; `spacy.load("pressdeals")` loads the shipped
pipeline."""

import json

import spacy
from typer.testing import CliRunner

import pressdeals
from pressdeals.cli import app

from .conftest import GOLD


def test_api_records_equal_cli_records_on_wrapped_text(stub_model, tmp_path):
    nlp = pressdeals.load(stub_model)
    text = (GOLD / "000_4e4e268c78564b6d.txt").read_text(encoding="utf-8")
    wrapped = "At the Delta\nExpo, 42 projects worth 18.6\nbillion yuan were signed.\n" + text
    (tmp_path / "w.txt").write_text(wrapped, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(
        app, ["tag", str(tmp_path / "w.txt"), "--out", str(out), "--model", str(stub_model)]
    )
    assert result.exit_code == 0, result.output
    cli = json.loads(out.read_text(encoding="utf-8"))
    (api,) = pressdeals.tag_records(nlp, [("w", wrapped)])
    for key in ("text", "entities", "relations", "aliases", "deals", "facts", "model"):
        assert api[key] == cli[key], key


def test_tag_returns_a_doc_over_the_original_text(stub_model):
    nlp = pressdeals.load(stub_model)
    text = "In all, 42 projects worth 18.6\n   billion yuan were signed at the Delta Expo.\n"
    doc = pressdeals.tag(nlp, text)
    assert doc.text == text
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("42 projects", "COUNT"),
        ("18.6\n   billion yuan", "MONEY"),
        ("Delta Expo", "EVENT"),
    ]
    assert {r["label"] for r in doc._.relations} == {"VALUE", "SIGNED_AT"}
    (fact,) = doc._.facts
    assert fact["count"] == 42 and fact["amount"] == 18.6e9 and fact["event"] == "Delta Expo"


def test_spacy_load_by_package_name():
    nlp = spacy.load("pressdeals")
    assert nlp.meta["name"] == "pressdeals_cpu" and "relation_extractor" in nlp.pipe_names
