"""The trainable relation component: VALUE and SIGNED_AT between entities of one sentence.

Candidates are the pairs the schema allows (COUNT->MONEY, COUNT->EVENT, MONEY->EVENT)
inside one sentence, with sentences cut by the project's wrap-aware rules
(`pipeline.text.sentence_spans`), the same rules the validator uses. Predictions go to
`doc._.relations` (see `pipeline.extensions`), each with its score; pairs scoring at least
`threshold` are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from pipeline.extensions import register_extensions
from pipeline.relation_model import BETWEEN_LABELS, PAIR_TYPES, Candidate, Instances
from pipeline.text import sentence_spans
from pressdeals.schema import RELATION_LABELS, RELATION_SIGNATURES

register_extensions()

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "pressdeals.RelationModel.v1"
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
    head, tail = PAIR_TYPES[pair_type]
    return next(lab for lab, (h, t) in RELATION_SIGNATURES.items() if head in h and tail in t)


@Language.factory(
    "relation_extractor",
    assigns=["doc._.relations"],
    requires=["doc.ents"],
    default_config={
        "model": Config().from_str(DEFAULT_MODEL_CONFIG)["model"],
        "threshold": 0.5,
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(
    nlp: Language, name: str, model: Model, threshold: float
) -> RelationExtractor:
    return RelationExtractor(nlp.vocab, model, name, threshold=threshold)


def sentence_ids(doc: Doc) -> list[int]:
    """Sentence index of each token, from the character-level sentence rules."""
    spans = sentence_spans(doc.text)
    ids, j = [], 0
    for token in doc:
        while j < len(spans) - 1 and token.idx >= spans[j][1]:
            j += 1
        ids.append(j)
    return ids


def get_candidates(doc: Doc, ents: Iterable[Span]) -> list[Candidate]:
    """Every schema-allowed (head, tail) pair of `ents` that lies in one sentence."""
    ents = sorted(ents, key=lambda s: s.start)
    sent = sentence_ids(doc) if len(doc) else []
    cands = []
    for head in ents:
        for tail in ents:
            if head is tail or (head.label_, tail.label_) not in PAIR_TYPES:
                continue
            if sent[head.start] != sent[tail.start]:
                continue
            lo, hi = min(head.end, tail.end), max(head.start, tail.start)
            between = [e.label_ for e in ents if e.start >= lo and e.end <= hi]
            cands.append(
                (
                    head.start,
                    head.end,
                    tail.start,
                    tail.end,
                    PAIR_TYPES.index((head.label_, tail.label_)),
                    tuple(between.count(lab) for lab in BETWEEN_LABELS),
                )
            )
    return cands


def _char_key(doc: Doc, cand: Candidate) -> tuple[int, int, int, int]:
    hs, he, ts, te = cand[:4]
    return (
        doc[hs].idx,
        doc[he - 1].idx + len(doc[he - 1]),
        doc[ts].idx,
        doc[te - 1].idx + len(doc[te - 1]),
    )


class RelationExtractor(TrainablePipe):
    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "relation_extractor",
        *,
        threshold: float = 0.5,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg: dict[str, Any] = {"labels": list(RELATION_LABELS), "threshold": threshold}

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
        if label in self.labels:
            return 0
        self.cfg["labels"].append(label)
        return 1

    def _instances(self, docs: Iterable[Doc]) -> Instances:
        return [(doc, get_candidates(doc, doc.ents)) for doc in docs]

    def predict(self, docs: Iterable[Doc]) -> tuple[Instances, Floats2d]:
        instances = self._instances(docs)
        if not any(c for _, c in instances):
            # still run the model so a tok2vec listener sees its batch
            return instances, numpy.zeros((0, len(self.labels)), dtype="f")
        logits = self.model.predict(instances)
        return instances, _sigmoid(self.model.ops.to_numpy(logits))

    def set_annotations(self, docs: Iterable[Doc], predictions: tuple[Instances, Floats2d]) -> None:
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
            doc._.relations = relations

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
            instances.append((doc, get_candidates(doc, ents)))
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
        examples = list(examples)
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        validate_get_examples(lambda: examples, "RelationExtractor.update")
        instances = self._training_instances(examples)
        if not any(c for _, c in instances):
            return losses
        set_dropout_rate(self.model, drop)
        logits, backprop = self.model.begin_update(instances)
        truth, mask = self._truth(examples, instances)
        probs = _sigmoid(self.model.ops.to_numpy(logits))
        # binary cross-entropy on the label the schema allows for each pair
        d_logits = (probs - truth) * mask
        eps = 1e-7
        loss = -float(
            numpy.sum(
                mask * (truth * numpy.log(probs + eps) + (1 - truth) * numpy.log(1 - probs + eps))
            )
        )
        backprop(self.model.ops.asarray2f(d_logits))
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        examples = list(examples)
        instances = self._training_instances(examples)
        truth, mask = self._truth(examples, instances)
        d = (scores - truth) * mask
        return float((d**2).sum()), d

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        validate_get_examples(get_examples, "RelationExtractor.initialize")
        if labels:
            self.cfg["labels"] = list(labels)
        sample = list(islice(get_examples(), 10))
        instances = self._training_instances(sample)
        self.model.get_ref("output").set_dim("nO", len(self.labels))
        self.model.initialize(X=instances)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return score_relations(examples)


def score_relations(examples: Iterable[Example]) -> dict[str, Any]:
    """rel_micro_p/r/f and per-label figures, strict on spans and labels."""
    counts = {label: [0, 0, 0] for label in RELATION_LABELS}  # tp, fp, fn
    for eg in examples:
        gold = {(r["label"], *r["head"], *r["tail"]) for r in eg.reference._.relations or []}
        pred = {(r["label"], *r["head"], *r["tail"]) for r in eg.predicted._.relations or []}
        for label in RELATION_LABELS:
            g = {x for x in gold if x[0] == label}
            p = {x for x in pred if x[0] == label}
            counts[label][0] += len(g & p)
            counts[label][1] += len(p - g)
            counts[label][2] += len(g - p)

    def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    micro = prf(*total)
    return {
        "rel_micro_p": micro["p"],
        "rel_micro_r": micro["r"],
        "rel_micro_f": micro["f"],
        "rel_per_type": {label: prf(*c) for label, c in counts.items()},
    }
