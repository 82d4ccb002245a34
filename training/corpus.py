"""Corpus tooling: statistics per split, `.spacy` builds for training, contamination check."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pressdeals.brat import read_brat_dir
from pressdeals.document import AnnotatedDoc
from pressdeals.paths import CORPUS
from pressdeals.pipeline.annotate import collapse_doc
from pressdeals.pipeline.tokenizer import blank_nlp
from pressdeals.schema import ENTITY_LABELS, RELATION_LABELS
from pressdeals.spacy_docs import write_docbin

SPLITS = {
    "train": CORPUS / "train",
    "dev": CORPUS / "dev",
    "generated": CORPUS / "generated",
    "gold": CORPUS / "gold",
}
_WORD = re.compile(r"\w+")


def split_stats(docs: list[AnnotatedDoc]) -> dict[str, int]:
    stats: Counter[str] = Counter()
    stats["documents"] = len(docs)
    for doc in docs:
        stats["words"] += len(doc.text.split())
        stats.update(e.label for e in doc.entities)
        stats.update(r.label for r in doc.relations)
    return {
        key: stats.get(key, 0) for key in ("documents", "words", *ENTITY_LABELS, *RELATION_LABELS)
    }


def corpus_stats(splits: dict[str, Path] = SPLITS) -> dict[str, dict[str, int]]:
    return {
        name: split_stats(read_brat_dir(path)) for name, path in splits.items() if path.exists()
    }


def format_stats(stats: dict[str, dict[str, int]]) -> str:
    columns = ("documents", "words", *ENTITY_LABELS, *RELATION_LABELS)
    lines = ["| split | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in stats.items():
        lines.append(f"| {name} | " + " | ".join(f"{row[c]:,}" for c in columns) + " |")
    return "\n".join(lines)


def build_spacy(out_dir: Path, with_generated: bool = True) -> dict[str, int]:
    """Write train.spacy (hand-written train + generated) and dev.spacy to `out_dir`."""
    nlp = blank_nlp()
    train = read_brat_dir(SPLITS["train"])
    if with_generated and SPLITS["generated"].exists():
        train += read_brat_dir(SPLITS["generated"])
    dev = read_brat_dir(SPLITS["dev"])
    # the pipeline sees text with soft wraps collapsed (pipeline.annotate), so train on that
    return {
        "train": write_docbin([collapse_doc(d) for d in train], nlp, out_dir / "train.spacy"),
        "dev": write_docbin([collapse_doc(d) for d in dev], nlp, out_dir / "dev.spacy"),
    }


def word_ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def shared_ngrams(doc: AnnotatedDoc, gold: list[AnnotatedDoc], n: int = 8) -> list[str]:
    """The gold document ids that share an n-word sequence with `doc`, with the sequence."""
    grams = word_ngrams(doc.text, n)
    hits = []
    for g in gold:
        common = grams & word_ngrams(g.text, n)
        if common:
            hits.append(f"{g.id}: {' '.join(sorted(common)[0])}")
    return hits


def export_hf(out_dir: Path, splits: dict[str, Path] = SPLITS) -> dict[str, int]:
    """Save the corpus as a Hugging Face `DatasetDict` (one split per folder) for teams that
    keep annotated data in `datasets`; rows are the JSONL records of `pressdeals.jsonl`."""
    from datasets import Dataset, DatasetDict, Features, List, Value

    from pressdeals.jsonl import doc_to_record

    span = {"start": Value("int32"), "end": Value("int32")}
    features = Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "entities": List({**span, "label": Value("string"), "text": Value("string")}),
            "relations": List({"label": Value("string"), "head": span, "tail": span}),
            "aliases": List(List(span)),
        }
    )
    data = {}
    for name, path in splits.items():
        if path.exists():
            records = [doc_to_record(d) for d in read_brat_dir(path)]
            data[name] = Dataset.from_list(records, features=features)
    DatasetDict(data).save_to_disk(str(out_dir))
    return {name: len(ds) for name, ds in data.items()}


def docs_from_hf(dataset) -> list[AnnotatedDoc]:
    """Annotated documents back from a split exported by `export_hf`."""
    from pressdeals.jsonl import record_to_doc

    return [record_to_doc(row, f"row {i}") for i, row in enumerate(dataset)]
