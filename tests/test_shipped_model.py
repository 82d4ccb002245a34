"""The shipped model: loads by default, stays small, carries its scores, and does not regress
(floors a little under the recorded scores, to allow for noise) on the gold seeds and on the
real releases of ../shared/realdev."""

import json

import pytest

import pressdeals
from pressdeals.evaluation.evaluate import evaluate_pipeline, load_documents
from pressdeals.paths import REALDEV, SHIPPED_MODEL

from .conftest import GOLD

# regression floors (README "Accuracy" has the measured scores)
FLOORS = {
    "gold": {
        ("entities", "micro"): 0.89,
        ("relations", "micro"): 0.90,
        ("relations_gold_entities", "micro"): 0.90,
        ("facts", "micro"): 0.85,
    },
    "realdev": {
        ("entities", "micro"): 0.90,
        ("relations", "micro"): 0.76,
        ("relations_gold_entities", "micro"): 0.77,
        ("facts", "micro"): 0.72,
    },
}


@pytest.fixture(scope="module")
def nlp():
    return pressdeals.load()


@pytest.fixture(scope="module")
def meta():
    return json.loads((SHIPPED_MODEL / "meta.json").read_text())


def test_shipped_model_is_small_versioned_and_documented(nlp, meta):
    size = sum(p.stat().st_size for p in SHIPPED_MODEL.rglob("*") if p.is_file())
    assert size < 50e6
    assert nlp.pipe_names[-3:] == ["event_aliases", "relation_extractor", "deal_records"]
    assert meta["version"] != "0.0.0"
    scores = meta["pressdeals_scores"]
    assert 0.0 < scores["relation_threshold"] < 1.0
    assert scores["relation_threshold"] == pytest.approx(
        nlp.get_pipe("relation_extractor").threshold, abs=1e-4
    )
    assert set(scores) >= {"dev", "gold", "realdev"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gold", "realdev"])
def test_scores_do_not_regress_and_match_meta(nlp, meta, name):
    path = GOLD if name == "gold" else REALDEV
    if not path.exists():
        pytest.skip(f"{path} is not here")
    report, _ = evaluate_pipeline(nlp, load_documents(path))
    for (section, label), floor in FLOORS[name].items():
        assert report[section][label].f1 >= floor, (section, label, report[section][label].f1)
    # the shipped meta.json must describe this model: same figures when re-scored
    recorded = meta["pressdeals_scores"][name]
    for section in ("entities", "relations", "facts"):
        assert report[section]["micro"].f1 == pytest.approx(
            recorded[section]["micro"]["f1"], abs=1e-3
        ), section


def test_direct_nlp_call_sets_relations_deals_and_facts(nlp):
    doc = nlp(
        "A total of 42 projects worth 18.6 billion yuan were signed at the 2025 Harbin "
        "Green Food Fair on Friday."
    )
    assert {e.label_ for e in doc.ents} >= {"COUNT", "MONEY", "EVENT"}
    assert {r["label"] for r in doc._.relations} == {"VALUE", "SIGNED_AT"}
    (deal,) = doc._.deals
    assert deal["count"] == 42 and deal["value"]["currency"] == "CNY"
    assert deal["event"]["inferred"] is False
    (fact,) = doc._.facts
    assert fact["count"] == 42 and fact["event"] == "2025 Harbin Green Food Fair"
