"""Run a pipeline over raw texts and return annotations whose offsets index the raw text.

Soft line wraps are collapsed before the pipeline sees the text (see `pipeline.text`), so
hard-wrapped and unwrapped versions of a document are tagged alike; every span is mapped
back to the original text afterwards.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from itertools import islice

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc

from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.pipeline.extensions import register_extensions
from pressdeals.pipeline.text import collapse_wraps, soft_wraps
from pressdeals.spacy_docs import from_spacy

register_extensions()
ENTITY_SETTERS = ("ner", "entity_ruler", "span_ruler")
ZONE_DOCS = 1000  # documents per spaCy memory zone
# spaCy's tokenizer caches nothing inside a memory zone, and without its cache tokenizing is
# about 4x slower: the first WARM_DOCS documents a tokenizer sees run outside zones, so its
# cache (10,000 chunks) fills with the run's own frequent words; the vocab keeps only them
WARM_DOCS = 1000
_warmed: dict[int, int] = {}  # id(tokenizer) -> documents it tokenized outside a zone
BATCH_CHARS = 100_000  # characters per nlp.pipe batch (see _batches)


class _Mapping:
    def __init__(self, text: str) -> None:
        self.flat = text
        # None when there is nothing to collapse (most texts): offsets are the same in both
        self.origin: array | None = None
        if soft_wraps(text):
            self.flat, origin = collapse_wraps(text)
            # 8 bytes a character instead of a list of int objects (36): up to ZONE_DOCS
            # texts wait here for the pipeline, so this is most of a long document's memory
            self.origin = array("q", origin)

    @property
    def identity(self) -> bool:
        return self.origin is None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1

    def to_flat(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        return bisect_left(self.origin, start), bisect_left(self.origin, end - 1) + 1


def collapse_doc(doc: AnnotatedDoc) -> AnnotatedDoc:
    """`doc` with soft wraps collapsed, as the pipeline sees it (for training data)."""
    mapping = _Mapping(doc.text)
    ents = {e: Entity(*mapping.to_flat(e.start, e.end), e.label) for e in doc.entities}
    rels = [Relation(ents[r.head], ents[r.tail], r.label) for r in doc.relations]
    aliases = [tuple(ents[e] for e in group) for group in doc.aliases]
    return AnnotatedDoc(doc.id, mapping.flat, list(ents.values()), rels, aliases)


def _read_doc(
    doc: Doc, doc_id: str, text: str, mapping: _Mapping, label_map: dict[str, str] | None
) -> AnnotatedDoc:
    return from_spacy(
        doc, doc_id, keep_scores=True, label_map=label_map,
        to_original=None if mapping.identity else mapping.to_original, text=text,
    )


def annotate(
    nlp: Language,
    docs: Iterable[tuple[str, str]],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    label_map: dict[str, str] | None = None,
) -> Iterator[AnnotatedDoc]:
    """Tag `(id, text)` pairs; yields one AnnotatedDoc per input, in order. With
    `n_process` above 1, worker processes tag chunks of them (`pipeline.processes`), with
    the same results; a worker that dies raises `processes.WorkerError`.

    `label_map` renames entity labels (and drops those it does not name), for pipelines
    trained on another scheme such as `en_core_web_sm`.
    """
    if n_process > 1:
        # imported here: the worker processes run this module's single-process path
        from pressdeals.pipeline.processes import tag_in_processes

        yield from tag_in_processes(  # type: ignore[misc]  # only AnnotatedDocs: failures raise
            nlp, docs, batch_size=batch_size, n_process=n_process, label_map=label_map
        )
        return
    # the offset maps wait here while the pipeline tags: nlp.pipe keeps order, so a FIFO
    # pairs them with the docs coming back
    waiting: deque[tuple[str, str, _Mapping]] = deque()

    def flat_texts() -> Iterator[tuple[str, int]]:
        for doc_id, text in docs:
            mapping = _Mapping(text)
            waiting.append((doc_id, text, mapping))
            yield mapping.flat, len(text)

    # one process: tag in blocks inside spaCy memory zones, so the strings and lexemes that
    # each block adds to the vocab (every new number, name...) are freed and memory stays flat
    texts = flat_texts()
    while block := list(islice(texts, ZONE_DOCS)):
        with _zone(nlp, len(block)):
            for start, end in batch_plan([n for _, n in block], batch_size):
                batch = [flat for flat, _ in block[start:end]]
                for doc in nlp.pipe(batch, batch_size=batch_size):
                    doc_id, text, mapping = waiting.popleft()
                    yield _read_doc(doc, doc_id, text, mapping, label_map)


def _zone(nlp: Language, n_docs: int) -> AbstractContextManager:
    """A memory zone, or no zone while the tokenizer's cache is still being filled."""
    key = id(nlp.tokenizer)
    seen = _warmed.get(key, 0)
    if seen >= WARM_DOCS:
        return nlp.memory_zone()
    _warmed[key] = seen + n_docs
    return nullcontext()


def batch_plan(lengths: list[int], batch_size: int) -> list[tuple[int, int]]:
    """The `nlp.pipe` batches of a block of texts of these `lengths` (characters of the
    original texts), as (start, end) index ranges: `batch_size` texts, cut earlier where a
    batch would pass `BATCH_CHARS`. A batch's working memory grows with its characters (the
    NER's about 3 KB each), so a run of long documents (or the parts of a split one) keeps
    memory flat; batches of ordinary releases are the plain `batch_size` ones.

    Every path (one process, worker processes, Dask partitions) cuts its batches with this
    plan from the start of a block of `ZONE_DOCS` texts: the matrix products' results for a
    text depend in their last bits on the batch it sits in (BLAS kernels sum in an order that
    depends on the matrix's shape), so the same batches give the same scores to the bit."""
    plan: list[tuple[int, int]] = []
    start, chars = 0, 0
    for i, n in enumerate(lengths):
        if i > start and (i - start >= batch_size or chars + n > BATCH_CHARS):
            plan.append((start, i))
            start, chars = i, 0
        chars += n
    if start < len(lengths):
        plan.append((start, len(lengths)))
    return plan


def annotate_with_gold_entities(
    nlp: Language, gold: Iterable[AnnotatedDoc]
) -> Iterator[AnnotatedDoc]:
    """Run every component except the entity recognisers on documents whose entities are
    the gold ones: scores the relation component on its own."""
    steps = [
        (name, proc)
        for name, proc in nlp.pipeline
        if name not in ENTITY_SETTERS and not isinstance(proc, EntityRecognizer)
    ]
    for g in gold:
        mapping = _Mapping(g.text)
        doc = nlp.make_doc(mapping.flat)
        spans = []
        for ent in sorted(g.entities):
            start, end = mapping.to_flat(ent.start, ent.end)
            span = doc.char_span(start, end, label=ent.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = spans
        for _, proc in steps:
            doc = proc(doc)
        pred = _read_doc(doc, g.id, g.text, mapping, None)
        # keep the gold entity objects so that only relations and aliases can differ
        yield AnnotatedDoc(g.id, g.text, list(g.entities), pred.relations, pred.aliases)
