"""Ship a trained pipeline: relation threshold from dev, scores on dev and gold in meta.json."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from pressdeals.evaluation.evaluate import align, build_report, load_documents, report_as_dict
from pressdeals.evaluation.threshold import candidate_scores, choose_threshold, plot_curve
from pressdeals.pipeline.annotate import annotate, annotate_with_gold_entities
from pressdeals.training.corpus import SPLITS
from pressdeals.training.train import ROOT, SHIPPED, ship

RESULTS = ROOT / "evaluation" / "results"


def score(nlp, docs) -> dict:
    pred = list(annotate(nlp, ((d.id, d.text) for d in docs)))
    with_gold = list(zip(docs, annotate_with_gold_entities(nlp, docs), strict=True))
    return report_as_dict(build_report(align(docs, pred), with_gold))


def ship_model(model_dir: Path, name: str, target: Path = SHIPPED) -> Path:
    nlp = spacy.load(model_dir)
    dev = load_documents(SPLITS["dev"])
    choice = choose_threshold(*candidate_scores(nlp, dev))
    plot_curve(choice, RESULTS / "pr_curve.png", f"configs/{name}.cfg: relations on dev")
    nlp.get_pipe("relation_extractor").threshold = choice["threshold"]
    nlp.meta["name"] = "pressdeals_cpu"
    nlp.meta["description"] = (
        f"pressdeals CPU pipeline (configs/{name}.cfg): NER for MONEY, COUNT, EVENT, ORG, GPE, "
        "VALUE and SIGNED_AT relations, deal records")
    tmp = model_dir.parent / "model-shipped"
    nlp.to_disk(tmp)
    scores = {
        "relation_threshold": round(choice["threshold"], 4),
        "dev": score(nlp, dev),
        "gold": score(nlp, load_documents(SPLITS["gold"])),
    }
    (RESULTS / "scores_shipped.json").write_text(json.dumps(scores, indent=2) + "\n")
    meta: dict = {"pressdeals_scores": scores}
    training = model_dir.parent / "training.json"
    if training.exists():
        meta["pressdeals_training"] = json.loads(training.read_text())
    return ship(tmp, meta, target)
