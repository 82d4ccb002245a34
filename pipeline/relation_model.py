"""Thinc architecture of the relation component.

Each candidate pair (head, tail) is represented by pooled token vectors of five regions:
the head span, the tail span, the tokens between them, a window before the pair and a
window after it (what lies between and around matters: `with a total value of`,
`signed at`, `exceeded`), plus a few features that need no gradient: the pair's label type,
its token distance, direction, and how many other entities sit between the two; v2 adds
whether the pair crosses a sentence boundary (schema v2 links consecutive body sentences).
v3 adds two more regions, the head's sentence and the tail's sentence: across sentences the
cue often lies outside the pair (`... were signed during the five-day fair.` after a sentence
naming the fair), where neither the between region nor the windows reach it.
An MLP maps that to one logit per relation label. Regions are mean-pooled from cumulative sums,
so a candidate costs the same whatever the length of its regions.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, Relu, chain
from thinc.types import Floats2d

from pressdeals.schema import PAIR_TYPES

BETWEEN_LABELS = ("COUNT", "MONEY", "EVENT")
N_EXTRA = len(PAIR_TYPES) + 3 + len(BETWEEN_LABELS)
N_REGIONS = 5
N_SENTENCE_REGIONS = 2

# one candidate: head and tail token ranges, pair-type index, entities between per label,
# sentence distance (0: same sentence, 1: consecutive body sentences), and the token ranges
# of the head's and the tail's sentences
Candidate = tuple[int, int, int, int, int, tuple[int, ...], int, tuple[int, int, int, int]]
Instances = list[tuple[Doc, list[Candidate]]]


@registry.architectures("pressdeals.RelationModel.v1")
def create_relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int = 128,
    window: int = 3,
    dropout: float = 0.1,
) -> Model[Instances, Floats2d]:
    """The first shipped architecture: same-sentence pairs, no sentence-distance feature."""
    return _relation_model(tok2vec, hidden_width, window, dropout, distance_feature=False)


@registry.architectures("pressdeals.RelationModel.v2")
def create_relation_model_v2(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int = 128,
    window: int = 3,
    dropout: float = 0.1,
) -> Model[Instances, Floats2d]:
    """v1 plus the sentence distance of the pair, for candidates across two sentences."""
    return _relation_model(tok2vec, hidden_width, window, dropout, distance_feature=True)


@registry.architectures("pressdeals.RelationModel.v3")
def create_relation_model_v3(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int = 128,
    window: int = 3,
    dropout: float = 0.1,
) -> Model[Instances, Floats2d]:
    """v2 plus the pooled head sentence and tail sentence, for cues outside the pair."""
    return _relation_model(
        tok2vec, hidden_width, window, dropout, distance_feature=True, sentence_regions=True
    )


def _relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int,
    window: int,
    dropout: float,
    distance_feature: bool,
    sentence_regions: bool = False,
) -> Model[Instances, Floats2d]:
    instances = create_instance_tensor(tok2vec, window, distance_feature, sentence_regions)
    classifier = chain(Relu(nO=hidden_width, dropout=dropout), Linear())
    model: Model[Instances, Floats2d] = chain(instances, classifier)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("output", classifier.layers[-1])
    return model


def create_instance_tensor(
    tok2vec: Model[list[Doc], list[Floats2d]],
    window: int,
    distance_feature: bool = False,
    sentence_regions: bool = False,
) -> Model[Instances, Floats2d]:
    return Model(
        "relation_instances",
        instance_forward,
        layers=[tok2vec],
        refs={"tok2vec": tok2vec},
        attrs={
            "window": window,
            "distance_feature": distance_feature,
            "sentence_regions": sentence_regions,
        },
        dims={"nO": None},
        init=instance_init,
    )


def instance_init(model: Model, X: Instances | None = None, Y: Floats2d | None = None) -> Model:
    tok2vec = model.get_ref("tok2vec")
    if X is not None:
        tok2vec.initialize(X=[doc for doc, _ in X])
    model.set_dim("nO", _n_out(model))
    return model


def _n_out(model: Model) -> int:
    width = model.get_ref("tok2vec").get_dim("nO")
    return width * _n_regions(model) + N_EXTRA + int(model.attrs["distance_feature"])


def _n_regions(model: Model) -> int:
    return N_REGIONS + N_SENTENCE_REGIONS * bool(model.attrs.get("sentence_regions"))


def _regions(
    cand: Candidate, n_tokens: int, window: int, sentence_regions: bool = False
) -> list[tuple[int, int]]:
    hs, he, ts, te = cand[:4]
    first, last = min(hs, ts), max(he, te)
    between = (min(he, te), max(hs, ts)) if he <= ts or te <= hs else (0, 0)
    regions = [
        (hs, he),
        (ts, te),
        between,
        (max(0, first - window), first),
        (last, min(n_tokens, last + window)),
    ]
    if sentence_regions:
        hss, hse, tss, tse = cand[7]
        regions += [(hss, hse), (tss, tse)]
    return regions


def _extra(cand: Candidate, distance_feature: bool) -> list[float]:
    hs, he, ts, te, pair_type, n_between, sentence_distance = cand[:7]
    one_hot = [1.0 if i == pair_type else 0.0 for i in range(len(PAIR_TYPES))]
    gap = max(ts - he, hs - te, 0)
    return [
        *one_hot,
        numpy.log1p(gap) / 4.0,
        1.0 if ts < hs else 0.0,  # tail before head ("Worth X Reached at Y" vs "Y ... X")
        1.0 if gap == 0 else 0.0,
        *[min(n, 4) / 4.0 for n in n_between],
        *([float(sentence_distance)] if distance_feature else []),
    ]


def instance_forward(model: Model, inputs: Instances, is_train: bool) -> tuple[Floats2d, Callable]:
    tok2vec = model.get_ref("tok2vec")
    window = model.attrs["window"]
    distance_feature = model.attrs["distance_feature"]
    sentence_regions = bool(model.attrs.get("sentence_regions"))
    n_regions = _n_regions(model)
    docs = [doc for doc, _ in inputs]
    tokvecs, bp_tokvecs = tok2vec(docs, is_train)
    width = tok2vec.get_dim("nO")
    n_out = _n_out(model)
    blocks, layout = [], []
    for (doc, cands), vecs in zip(inputs, tokvecs, strict=True):
        if not cands:
            layout.append(None)
            continue
        vecs = model.ops.to_numpy(vecs)
        bounds = numpy.asarray(
            [_regions(c, len(doc), window, sentence_regions) for c in cands], dtype="i"
        )  # (candidates, regions, 2)
        starts, ends = bounds[..., 0], bounds[..., 1]
        lengths = numpy.maximum(ends - starts, 0)
        # mean of vecs[s:e] as a difference of cumulative sums (float64: long documents)
        cumsum = numpy.zeros((len(vecs) + 1, width), dtype="f8")
        numpy.cumsum(vecs, axis=0, out=cumsum[1:])
        scale = numpy.where(lengths > 0, 1.0 / numpy.maximum(lengths, 1), 0.0)
        pooled = (cumsum[ends] - cumsum[starts]) * scale[..., None]
        extra = numpy.asarray([_extra(c, distance_feature) for c in cands], dtype="f")
        blocks.append(numpy.hstack([pooled.reshape(len(cands), -1).astype("f"), extra]))
        layout.append((starts, ends, scale))
    output = numpy.vstack(blocks) if blocks else numpy.zeros((0, n_out), dtype="f")

    def backprop(d_output: Floats2d) -> list:
        d_output = model.ops.to_numpy(d_output)
        d_vecs = []
        row = 0
        for vecs, regions in zip(tokvecs, layout, strict=True):
            shape = model.ops.to_numpy(vecs).shape
            if regions is None:
                d_vecs.append(numpy.zeros(shape, dtype="f"))
                continue
            starts, ends, scale = regions
            n = len(starts)
            d_pooled = d_output[row : row + n, : n_regions * width].reshape(n, n_regions, width)
            row += n
            # a gradient spread evenly over vecs[s:e]: +g at s, -g at e, then a cumulative sum
            grad = d_pooled * scale[..., None]
            diff = numpy.zeros((shape[0] + 1, width), dtype="f8")
            numpy.add.at(diff, starts.ravel(), grad.reshape(-1, width))
            numpy.add.at(diff, ends.ravel(), -grad.reshape(-1, width))
            d_vecs.append(numpy.cumsum(diff[:-1], axis=0).astype("f"))
        return bp_tokvecs([model.ops.asarray2f(d) for d in d_vecs])

    return model.ops.asarray2f(output), backprop
