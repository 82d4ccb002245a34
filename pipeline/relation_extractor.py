"""The trainable relation component: VALUE and SIGNED_AT between entities.

Candidates are the pairs the schema allows (`schema.PAIR_TYPES`) inside one sentence or, up
to `max_sentence_distance` (schema v2: 1), in consecutive body sentences, never between a
title or heading line and the body. Sentences are cut by the project's wrap-aware rules
(`pipeline.text`), the same rules the validator uses. Each head is paired with at most
`MAX_TAILS` of its nearest allowed tails, so the cost is linear in document length whatever
a sentence holds. Predictions go to `doc._.relations` (see `pipeline.extensions`) with their
scores; pairs scoring at least `threshold` are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from pressdeals.metrics import PRF
from pressdeals.pipeline.extensions import doc_text, register_extensions
from pressdeals.pipeline.relation_model import BETWEEN_LABELS, Candidate, Instances
from pressdeals.pipeline.signing_anaphora import link_anaphoric_signings
from pressdeals.pipeline.text import heading_flags, sentence_spans
from pressdeals.schema import PAIR_TYPES, RELATION_LABELS, relation_label
from pressdeals.spacy_docs import from_spacy

register_extensions()

MAX_TAILS = 12  # nearest allowed tails per head and candidate window

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "pressdeals.RelationModel.v2"
hidden_width = 128
window = 3
dropout = 0.1

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 2
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true
"""


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-numpy.clip(x, -30.0, 30.0)))


def _label_of(pair_type: int) -> str:
    label = relation_label(*PAIR_TYPES[pair_type])
    assert label is not None  # PAIR_TYPES holds only allowed pairs
    return label


@Language.factory(
    "relation_extractor",
    assigns=["doc._.relations"],
    requires=["doc.ents"],
    default_config={
        "model": Config().from_str(DEFAULT_MODEL_CONFIG)["model"],
        "threshold": 0.5,
        "max_sentence_distance": 1,
        "scorer": {"@scorers": "pressdeals.relation_scorer.v1"},
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(
    nlp: Language,
    name: str,
    model: Model,
    threshold: float,
    max_sentence_distance: int,
    scorer: Callable[..., dict[str, Any]] | None,
) -> RelationExtractor:
    return RelationExtractor(
        nlp.vocab,
        model,
        name,
        threshold=threshold,
        max_sentence_distance=max_sentence_distance,
        scorer=scorer,
    )


def score_relations(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """rel_micro_p/r/f and per-label p/r/f; a relation is correct when `Relation.key`
    (label, both spans and both argument labels) matches a gold one, as in `pressdeals
    evaluate`."""
    table = {label: PRF() for label in RELATION_LABELS}
    micro = PRF()
    for eg in examples:
        gold = [r.key for r in from_spacy(eg.reference).relations]
        pred = [r.key for r in from_spacy(eg.predicted).relations]
        micro.add(gold, pred)
        for label in RELATION_LABELS:
            table[label].add([k for k in gold if k[0] == label], [k for k in pred if k[0] == label])
    return {
        "rel_micro_p": micro.precision,
        "rel_micro_r": micro.recall,
        "rel_micro_f": micro.f1,
        "rel_per_type": {
            label: {"p": prf.precision, "r": prf.recall, "f": prf.f1}
            for label, prf in table.items()
        },
    }


@registry.scorers("pressdeals.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., dict[str, Any]]:
    return score_relations


def sentence_ids(doc: Doc) -> tuple[list[int], list[bool]]:
    """Sentence index of each token, from the character-level sentence rules, and for each
    sentence whether it is a title or heading line."""
    text = doc_text(doc)
    spans = sentence_spans(text)
    if not spans:
        return [0] * len(doc), []
    # token offsets as an array (iterating a Doc creates a Token object per token)
    starts = doc.to_array([IDX])
    ends = numpy.asarray([e for _, e in spans[:-1]], dtype=starts.dtype)
    ids = numpy.searchsorted(ends, starts, side="right").tolist()
    return ids, heading_flags(text, spans)


def get_candidates(
    doc: Doc, ents: Iterable[Span], max_sentence_distance: int = 1
) -> list[Candidate]:
    """Every schema-allowed (head, tail) pair of `ents` in one sentence or, within
    `max_sentence_distance`, in consecutive body sentences; each head keeps its `MAX_TAILS`
    nearest allowed tails (by tokens) per window, so a pathological sentence stays linear."""
    ents = sorted(ents, key=lambda s: s.start)
    if not ents:
        return []
    sent, heading = sentence_ids(doc)
    # prefix counts of the labels that the model sees between head and tail
    prefix = [[0] * (len(ents) + 1) for _ in BETWEEN_LABELS]
    for i, ent in enumerate(ents):
        for k, lab in enumerate(BETWEEN_LABELS):
            prefix[k][i + 1] = prefix[k][i] + (ent.label_ == lab)
    by_sentence: dict[int, list[int]] = {}
    for i, ent in enumerate(ents):
        by_sentence.setdefault(sent[ent.start], []).append(i)
    # token range of each sentence (sentence ids are sorted: one searchsorted for all)
    ids = numpy.asarray(sent)
    n_sents = int(ids[-1]) + 1 if len(ids) else 0
    edges = numpy.searchsorted(ids, numpy.arange(n_sents + 1), side="left").tolist()
    tail_labels = {t for _, t in PAIR_TYPES}
    cands = []
    for i, head in enumerate(ents):
        if not any(head.label_ == h for h, _ in PAIR_TYPES):
            continue
        s = sent[head.start]
        window = [s]
        if max_sentence_distance and not heading[s]:
            for d in range(1, max_sentence_distance + 1):
                window += [n for n in (s - d, s + d) if 0 <= n < len(heading) and not heading[n]]
        tails = [
            j
            for n in window
            for j in by_sentence.get(n, ())
            if j != i and ents[j].label_ in tail_labels
            and (head.label_, ents[j].label_) in PAIR_TYPES
        ]
        if len(tails) > MAX_TAILS:
            tails = sorted(tails, key=lambda j: (abs(j - i), j))[:MAX_TAILS]
        for j in sorted(tails):
            tail = ents[j]
            lo, hi = (i + 1, j) if i < j else (j + 1, i)
            cands.append(
                (
                    head.start,
                    head.end,
                    tail.start,
                    tail.end,
                    PAIR_TYPES.index((head.label_, tail.label_)),
                    tuple(prefix[k][hi] - prefix[k][lo] for k in range(len(BETWEEN_LABELS))),
                    abs(sent[tail.start] - s),
                    (edges[s], edges[s + 1], edges[sent[tail.start]], edges[sent[tail.start] + 1]),
                )
            )
    return cands


# `10-billion-yuan orders`, `two $5-million contracts`: a compound amount before plural deals
PLURAL_DEALS = frozenset(
    ("deals", "orders", "contracts", "agreements", "projects", "mous", "transactions", "pacts")
)


def per_item_amounts(doc: Doc) -> set[tuple[int, int]]:
    """MONEY spans that give the size of each of several deals, not a total (guidelines
    104): a hyphenated amount before a plural deal noun (`Multiple 10-billion-yuan orders
    signed ...`). They head and take no relation, as thresholds take none."""
    found = set()
    for ent in doc.ents:
        if ent.label_ != "MONEY" or "-" not in ent.text or ent.text.endswith("-"):
            continue
        following = doc[ent.end : ent.end + 3]
        if any(t.lower_ in PLURAL_DEALS for t in following[:1]) or (
            len(following) >= 2 and following[1].lower_ in PLURAL_DEALS
            and following[0].is_alpha and following[0].lower_ not in ("of", "in", "worth")
        ):
            found.add((ent.start_char, ent.end_char))
    return found


def _char_key(doc: Doc, cand: Candidate) -> tuple[int, int, int, int]:
    hs, he, ts, te = cand[:4]
    return (
        doc[hs].idx,
        doc[he - 1].idx + len(doc[he - 1]),
        doc[ts].idx,
        doc[te - 1].idx + len(doc[te - 1]),
    )


class RelationExtractor(TrainablePipe):
    """Scores every candidate pair (see `get_candidates`) for the relation label the schema
    allows between its two entity labels; sigmoid outputs, binary cross-entropy loss."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "relation_extractor",
        *,
        threshold: float = 0.5,
        max_sentence_distance: int = 1,
        scorer: Callable[..., dict[str, Any]] | None = score_relations,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: dict[str, Any] = {
            "labels": list(RELATION_LABELS),
            "threshold": threshold,
            "max_sentence_distance": max_sentence_distance,
        }

    @property
    def max_sentence_distance(self) -> int:
        """Sentence distance of candidates; 0 for a v1 model, which has no distance feature."""
        instances = self.model.layers[0] if self.model.layers else self.model
        if not instances.attrs.get("distance_feature", False):
            return 0
        return int(self.cfg.get("max_sentence_distance", 1))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def threshold(self) -> float:
        return float(self.cfg["threshold"])

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.cfg["threshold"] = float(value)

    def add_label(self, label: str) -> int:
        """Add a relation label; returns 1 if it was new."""
        if label in self.labels:
            return 0
        self.cfg["labels"].append(label)
        return 1

    def _instances(self, docs: Iterable[Doc]) -> Instances:
        distance = self.max_sentence_distance
        return [(doc, get_candidates(doc, doc.ents, distance)) for doc in docs]

    def predict(self, docs: Iterable[Doc]) -> tuple[Instances, Floats2d]:
        """Candidates of each doc and their probabilities (one column per label). The model
        runs even on a batch without candidates, so a tok2vec listener sees every batch."""
        instances = self._instances(docs)
        logits = self.model.predict(instances)
        return instances, _sigmoid(self.model.ops.to_numpy(logits))

    def set_annotations(self, docs: Iterable[Doc], predictions: tuple[Instances, Floats2d]) -> None:
        """Write the candidates scoring at least `threshold` to `doc._.relations`."""
        instances, probs = predictions
        row = 0
        for doc, cands in instances:
            relations = []
            for cand in cands:
                label = _label_of(cand[4])
                score = float(probs[row, self.labels.index(label)])
                row += 1
                if score >= self.threshold:
                    hs, he, ts, te = _char_key(doc, cand)
                    relations.append(
                        {
                            "label": label,
                            "head": [hs, he],
                            "tail": [ts, te],
                            "score": round(score, 4),
                        }
                    )
            sizes = per_item_amounts(doc)
            if sizes:
                relations = [
                    r for r in relations
                    if tuple(r["head"]) not in sizes and tuple(r["tail"]) not in sizes
                ]
            # the schema's cross-sentence SIGNED_AT through an anaphor, by rule
            doc._.relations = link_anaphoric_signings(doc, relations)

    def _training_instances(self, examples: Iterable[Example]) -> Instances:
        """Candidates from the gold entities, mapped onto the predicted docs' tokens."""
        instances = []
        for eg in examples:
            doc = eg.predicted
            ents = []
            for ent in eg.reference.ents:
                span = doc.char_span(
                    ent.start_char, ent.end_char, label=ent.label_, alignment_mode="expand"
                )
                if span is not None:
                    ents.append(span)
            instances.append((doc, get_candidates(doc, ents, self.max_sentence_distance)))
        return instances

    def _truth(
        self, examples: Iterable[Example], instances: Instances
    ) -> tuple[Floats2d, Floats2d]:
        rows = sum(len(c) for _, c in instances)
        truth = numpy.zeros((rows, len(self.labels)), dtype="f")
        mask = numpy.zeros_like(truth)
        row = 0
        for eg, (doc, cands) in zip(examples, instances, strict=True):
            gold = {(r["label"], *r["head"], *r["tail"]) for r in eg.reference._.relations or []}
            for cand in cands:
                label = _label_of(cand[4])
                col = self.labels.index(label)
                mask[row, col] = 1.0
                truth[row, col] = float((label, *_char_key(doc, cand)) in gold)
                row += 1
        return truth, mask

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """Learn from a batch: candidates from the gold entities, loss from `get_loss`. A
        batch without candidates still runs and backpropagates (a zero gradient), so that a
        shared tok2vec's listener receives its batch."""
        examples = list(examples)
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        validate_get_examples(lambda: examples, "RelationExtractor.update")
        set_dropout_rate(self.model, drop)
        logits, backprop = self.model.begin_update(self._training_instances(examples))
        loss, d_logits = self.get_loss(examples, logits)
        backprop(self.model.ops.asarray2f(d_logits))
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        """Binary cross-entropy of the logits `scores` (one row per training candidate of
        `examples`, in `_training_instances` order) on the label the schema allows for each
        pair; returns the loss and its gradient with respect to the logits."""
        examples = list(examples)
        truth, mask = self._truth(examples, self._training_instances(examples))
        probs = _sigmoid(self.model.ops.to_numpy(scores))
        eps = 1e-7
        loss = -float(
            numpy.sum(
                mask * (truth * numpy.log(probs + eps) + (1 - truth) * numpy.log(1 - probs + eps))
            )
        )
        return loss, (probs - truth) * mask

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        """Size the output layer and initialise the model on a sample of the examples."""
        validate_get_examples(get_examples, "RelationExtractor.initialize")
        if labels:
            self.cfg["labels"] = list(labels)
        sample = list(islice(get_examples(), 10))
        instances = self._training_instances(sample)
        self.model.get_ref("output").set_dim("nO", len(self.labels))
        self.model.initialize(X=instances)

