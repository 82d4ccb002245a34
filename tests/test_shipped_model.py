"""The shipped model: loads by default, stays small, carries its scores, and does not regress
on the gold set (floors a little under the recorded scores, to allow for noise)."""

import json

import pytest
import spacy

from pressdeals.evaluation.evaluate import align, build_report, load_documents
from pressdeals.paths import SHIPPED_MODEL
from pressdeals.pipeline.annotate import annotate, annotate_with_gold_entities

from .conftest import GOLD

# regression floors on the five gold documents (README "Accuracy" has the measured scores)
FLOORS = {
    ("entities", "micro"): 0.85,
    ("relations", "micro"): 0.80,
    ("relations_gold_entities", "micro"): 0.85,
    ("deals", "micro"): 0.65,
}


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(SHIPPED_MODEL)


def test_shipped_model_is_small_and_documented(nlp):
    size = sum(p.stat().st_size for p in SHIPPED_MODEL.rglob("*") if p.is_file())
    assert size < 50e6
    assert nlp.pipe_names[-2:] == ["relation_extractor", "deal_records"]
    meta = json.loads((SHIPPED_MODEL / "meta.json").read_text())
    scores = meta["pressdeals_scores"]
    assert 0.0 < scores["relation_threshold"] < 1.0
    assert scores["relation_threshold"] == pytest.approx(
        nlp.get_pipe("relation_extractor").threshold, abs=1e-4
    )
    assert set(scores) >= {"dev", "gold"}


def test_gold_scores_do_not_regress(nlp):
    gold = load_documents(GOLD)
    pred = list(annotate(nlp, ((d.id, d.text) for d in gold)))
    with_gold_ents = list(zip(gold, annotate_with_gold_entities(nlp, gold), strict=True))
    report = build_report(align(gold, pred), with_gold_ents)
    for (section, label), floor in FLOORS.items():
        assert report[section][label].f1 >= floor, (section, label, report[section][label].f1)
    recorded = json.loads((SHIPPED_MODEL / "meta.json").read_text())["pressdeals_scores"]["gold"]
    # the shipped meta.json must describe this model: same figures when re-scored
    recorded_f1 = recorded["entities"]["micro"]["f1"]
    assert report["entities"]["micro"].f1 == pytest.approx(recorded_f1, abs=1e-3)


def test_direct_nlp_call_sets_relations_and_deals(nlp):
    doc = nlp(
        "A total of 42 projects worth 18.6 billion yuan were signed at the 2025 Harbin "
        "Green Food Fair on Friday."
    )
    assert {e.label_ for e in doc.ents} >= {"COUNT", "MONEY", "EVENT"}
    assert {r["label"] for r in doc._.relations} == {"VALUE", "SIGNED_AT"}
    (deal,) = doc._.deals
    assert deal["count"] == 42 and deal["value"]["currency"] == "CNY"
    assert deal["event"]["inferred"] is False
