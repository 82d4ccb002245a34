"""The `batched_ner` component: spaCy's entity recognizer with its greedy decoding run as
one vectorised step for all documents of a batch.

spaCy's greedy decoder (`Parser.greedy_parse`) walks the transitions in C, but spaCy 3.8's
compiled state code takes the GIL back for every token lookup: on this project's machines
40% of the NER's decoding time went to locking it (measured with `perf`). spaCy's beam
decoder with a beam of one makes the same greedy choice (the best valid action at each step)
and scores all states of a step with one matrix product: the NER took 2.2 s instead of 4.5 s
on 2,000 generated releases, with the same entities on those, on 20,000 more and on the
2,029 corpus, realdev and seed texts. A step costs about what three states cost in spaCy's
loop, so a call with fewer documents (the parts of a very long one) keeps spaCy's loop.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.pipeline.ner import DEFAULT_NER_MODEL
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps

# fewer documents than this per decoding call: spaCy's loop (a vectorised step costs about
# as much as three states in the loop)
MIN_BATCHED_DOCS = 4


class BatchedEntityRecognizer(EntityRecognizer):
    """spaCy's `EntityRecognizer` with batched greedy decoding; training, scoring and
    serialisation are spaCy's."""

    def predict(self, docs: Doc | list[Doc]):  # type: ignore[override]
        if isinstance(docs, Doc):
            docs = [docs]
        batched = (
            self.cfg["beam_width"] == 1
            and isinstance(self.model.ops, NumpyOps)  # on a GPU each step is a kernel launch
            and sum(1 for doc in docs if len(doc)) >= MIN_BATCHED_DOCS
        )
        if not batched:
            return super().predict(docs)
        return self.beam_parse(docs, beam_width=1, drop=0.0)


@Language.factory(
    "batched_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": DEFAULT_NER_MODEL,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_batched_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    scorer: Callable | None,
) -> BatchedEntityRecognizer:
    return BatchedEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )
