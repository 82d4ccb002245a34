"""Relation threshold from a precision-recall curve on dev (scikit-learn), saved as a PNG."""

from __future__ import annotations

from pathlib import Path

import numpy
from sklearn.metrics import precision_recall_curve
from spacy.language import Language

from pressdeals.document import AnnotatedDoc
from pressdeals.evaluation.scoring import relation_key
from pressdeals.pipeline.annotate import annotate


def candidate_scores(
    nlp: Language, dev: list[AnnotatedDoc]
) -> tuple[numpy.ndarray, numpy.ndarray, int]:
    """(labels, scores) of every candidate pair on predicted entities, and the gold count.

    Runs with threshold 0 so that every candidate is returned with its score; gold relations
    that no candidate covers (their entities were missed) count as unreachable recall.
    """
    rel = nlp.get_pipe("relation_extractor")
    saved = rel.threshold
    rel.threshold = 0.0
    try:
        preds = list(annotate(nlp, ((d.id, d.text) for d in dev)))
    finally:
        rel.threshold = saved
    y_true, y_score, n_gold = [], [], 0
    for gold, pred in zip(dev, preds, strict=True):
        keys = {relation_key(r) for r in gold.relations}
        n_gold += len(keys)
        for r in pred.relations:
            key = relation_key(r)
            y_true.append(int(key in keys))
            y_score.append(r.score or 0.0)
    return numpy.array(y_true), numpy.array(y_score), n_gold


def choose_threshold(
    y_true: numpy.ndarray, y_score: numpy.ndarray, n_gold: int
) -> dict[str, float]:
    """The threshold with the best F1 on predicted entities (recall over all gold relations).
    With no positive candidate (an untrained model) there is no curve: 0.5 is kept."""
    if len(y_true) == 0 or y_true.sum() == 0:
        return {
            "threshold": 0.5,
            "precision": 0.0,
            "recall": 0.0,
            "f1": 0.0,
            "curve": (numpy.array([1.0]), numpy.array([0.0]), numpy.array([])),
        }
    precision, recall, thresholds = precision_recall_curve(y_true, y_score)
    reachable = y_true.sum() / max(n_gold, 1)
    recall = recall * reachable
    f1 = numpy.where(
        precision + recall > 0, 2 * precision * recall / (precision + recall + 1e-12), 0
    )
    best = int(numpy.argmax(f1[:-1])) if len(thresholds) else 0
    return {
        "threshold": float(thresholds[best]) if len(thresholds) else 0.5,
        "precision": float(precision[best]),
        "recall": float(recall[best]),
        "f1": float(f1[best]),
        "curve": (precision, recall, thresholds),
    }


def plot_curve(choice: dict, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    precision, recall, _ = choice["curve"]
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(recall, precision, label="relations on predicted entities")
    ax.scatter(
        [choice["recall"]],
        [choice["precision"]],
        color="red",
        zorder=3,
        label=f"threshold {choice['threshold']:.2f} (F1 {choice['f1']:.3f})",
    )
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.legend(loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
