"""Thinc architecture of the relation component.

Each candidate pair (head, tail) is represented by pooled token vectors of five regions:
the head span, the tail span, the tokens between them, a window before the pair and a
window after it (what lies between and around matters: `with a total value of`,
`signed at`, `exceeded`), plus a few features that need no gradient: the pair's label type,
its token distance, direction, and how many other entities sit between the two.
An MLP maps that to one logit per relation label.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, Relu, chain
from thinc.types import Floats2d

# (head label, tail label) pairs the schema allows, in a fixed order for the type feature
PAIR_TYPES: tuple[tuple[str, str], ...] = (
    ("COUNT", "MONEY"),
    ("COUNT", "EVENT"),
    ("MONEY", "EVENT"),
)
BETWEEN_LABELS = ("COUNT", "MONEY", "EVENT")
N_EXTRA = len(PAIR_TYPES) + 3 + len(BETWEEN_LABELS)
N_REGIONS = 5

# one candidate: head and tail token ranges, pair-type index, entities between per label
Candidate = tuple[int, int, int, int, int, tuple[int, ...]]
Instances = list[tuple[Doc, list[Candidate]]]


@registry.architectures("pressdeals.RelationModel.v1")
def create_relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int = 128,
    window: int = 3,
    dropout: float = 0.1,
) -> Model[Instances, Floats2d]:
    instances = create_instance_tensor(tok2vec, window)
    classifier = chain(Relu(nO=hidden_width, dropout=dropout), Linear())
    model: Model[Instances, Floats2d] = chain(instances, classifier)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("output", classifier.layers[-1])
    return model


def create_instance_tensor(
    tok2vec: Model[list[Doc], list[Floats2d]], window: int
) -> Model[Instances, Floats2d]:
    return Model(
        "relation_instances",
        instance_forward,
        layers=[tok2vec],
        refs={"tok2vec": tok2vec},
        attrs={"window": window},
        dims={"nO": None},
        init=instance_init,
    )


def instance_init(model: Model, X: Instances | None = None, Y: Floats2d | None = None) -> Model:
    tok2vec = model.get_ref("tok2vec")
    if X is not None:
        tok2vec.initialize(X=[doc for doc, _ in X])
    width = tok2vec.get_dim("nO")
    model.set_dim("nO", width * N_REGIONS + N_EXTRA)
    return model


def _regions(cand: Candidate, n_tokens: int, window: int) -> list[tuple[int, int]]:
    hs, he, ts, te = cand[:4]
    first, last = min(hs, ts), max(he, te)
    between = (min(he, te), max(hs, ts)) if he <= ts or te <= hs else (0, 0)
    return [
        (hs, he),
        (ts, te),
        between,
        (max(0, first - window), first),
        (last, min(n_tokens, last + window)),
    ]


def _extra(cand: Candidate) -> list[float]:
    hs, he, ts, te, pair_type, n_between = cand
    one_hot = [1.0 if i == pair_type else 0.0 for i in range(len(PAIR_TYPES))]
    gap = max(ts - he, hs - te, 0)
    return [
        *one_hot,
        numpy.log1p(gap) / 4.0,
        1.0 if ts < hs else 0.0,  # tail before head ("Worth X Reached at Y" vs "Y ... X")
        1.0 if gap == 0 else 0.0,
        *[min(n, 4) / 4.0 for n in n_between],
    ]


def instance_forward(model: Model, inputs: Instances, is_train: bool) -> tuple[Floats2d, Callable]:
    tok2vec = model.get_ref("tok2vec")
    window = model.attrs["window"]
    docs = [doc for doc, _ in inputs]
    tokvecs, bp_tokvecs = tok2vec(docs, is_train)
    width = tok2vec.get_dim("nO")
    rows, layout = [], []
    for i, ((doc, cands), vecs) in enumerate(zip(inputs, tokvecs, strict=True)):
        vecs = model.ops.to_numpy(vecs)
        for cand in cands:
            regions = _regions(cand, len(doc), window)
            pooled = [
                vecs[s:e].mean(axis=0) if e > s else numpy.zeros(width, dtype="f")
                for s, e in regions
            ]
            rows.append(numpy.concatenate([*pooled, numpy.asarray(_extra(cand), dtype="f")]))
            layout.append((i, regions))
    n_out = width * N_REGIONS + N_EXTRA
    output = numpy.vstack(rows).astype("f") if rows else numpy.zeros((0, n_out), dtype="f")

    def backprop(d_output: Floats2d) -> list:
        d_output = model.ops.to_numpy(d_output)
        d_vecs = [numpy.zeros(model.ops.to_numpy(v).shape, dtype="f") for v in tokvecs]
        for row, (i, regions) in enumerate(layout):
            for k, (s, e) in enumerate(regions):
                if e > s:
                    d_vecs[i][s:e] += d_output[row, k * width : (k + 1) * width] / (e - s)
        return bp_tokvecs([model.ops.asarray2f(d) for d in d_vecs])

    return model.ops.asarray2f(output), backprop
