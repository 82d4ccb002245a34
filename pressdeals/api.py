"""The Python API: load the pipeline, tag one text, stream many texts into records.

The CLI (`pressdeals tag`) is a layer over these functions, so both tag alike: soft line
wraps are collapsed before the pipeline runs and every offset indexes the text as given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pressdeals.document import AnnotatedDoc
from pressdeals.paths import SHIPPED_MODEL
from pressdeals.pipeline.annotate import annotate
from pressdeals.pipeline.deals import build_facts
from pressdeals.records import model_info, tagged_record
from pressdeals.spacy_docs import to_spacy


class ModelError(RuntimeError):
    """The pipeline cannot be loaded; the message says what to do."""


def load(model: str | Path | None = None, **overrides: Any) -> Language:
    """A pipeline by package name or path; None: the shipped one. `overrides` go to
    `spacy.load` (`disable`, `exclude`, `config`...)."""
    import spacy

    from pressdeals.backend import BackendError, fastest_ops

    target = SHIPPED_MODEL if model is None else model
    try:
        ops = fastest_ops()
    except BackendError as exc:
        raise ModelError(str(exc)) from None
    try:
        with ops:
            return spacy.load(target, **overrides)
    except OSError as exc:
        hint = ""
        if model is None:
            hint = " (the shipped model is missing: rebuild it: `pressdeals train cpu_sm --ship`)"
        raise ModelError(f"cannot load model {str(target)!r}{hint}: {exc}") from exc


def annotate_texts(
    nlp: Language,
    texts: Iterable[tuple[str, str]],
    *,
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[AnnotatedDoc]:
    """`(id, text)` pairs tagged as AnnotatedDocs, in order, offsets into each text."""
    return annotate(nlp, texts, batch_size=batch_size, n_process=n_process)


def tag(nlp: Language, text: str, doc_id: str = "") -> Doc:
    """Tag one text: a `Doc` over `text` itself with `doc.ents`, `doc._.relations`,
    `doc._.aliases`, `doc._.deals` and `doc._.facts` (character offsets into `text`)."""
    annotated = next(annotate(nlp, [(doc_id, text)]))
    # entities found on the unwrapped text always end on token boundaries there; on the
    # original text a wrap inside a span can only make the span's tokens longer
    doc = to_spacy(annotated, nlp, alignment_mode="expand")
    if annotated.deals is not None:
        doc._.facts = [f.as_dict() for f in build_facts(annotated, annotated.deals)]
    return doc


def to_record(doc: AnnotatedDoc, nlp: Language, source: str = "", include_text: bool = True):
    """The JSON record `pressdeals tag` writes for one tagged document."""
    return tagged_record(doc, source, model_info(nlp), include_text=include_text)


def tag_records(
    nlp: Language,
    texts: Iterable[tuple[str, str]] | Iterable[str],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    include_text: bool = True,
) -> Iterator[dict[str, Any]]:
    """Stream texts (plain strings, or `(id, text)` pairs) into JSON-ready records: entities,
    relations with scores, aliases, deal records and facts, and the model that made them."""
    pairs = (
        (str(i), item) if isinstance(item, str) else item for i, item in enumerate(texts)
    )
    info = model_info(nlp)
    for doc in annotate(nlp, pairs, batch_size=batch_size, n_process=n_process):
        yield tagged_record(doc, "", info, include_text=include_text)
