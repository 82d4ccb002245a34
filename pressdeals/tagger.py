"""The batch tagging run behind `pressdeals tag`: stream inputs through the pipeline into a
writer, one record or one error record per input, with a summary at the end."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from pressdeals.display import HtmlPage
from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.inputs import InputDoc, InputError, Item
from pressdeals.pipeline.annotate import annotate
from pressdeals.records import model_info, tagged_record
from pressdeals.writers import WRITERS


@dataclass
class TagOptions:
    out: Path
    fmt: str = "jsonl"
    include_text: bool = True
    max_chars: int = 1_000_000
    oversize: str = "refuse"  # or "split"
    batch_size: int = 64
    n_process: int = 1
    resume: bool = False
    html: Path | None = None
    progress: bool = False


@dataclass
class Summary:
    documents: int = 0
    skipped: int = 0
    words: int = 0
    entities: int = 0
    deals: int = 0
    errors: int = 0
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)

    def line(self) -> str:
        wps = self.words / self.seconds if self.seconds else 0.0
        skipped = f", {self.skipped} already done" if self.skipped else ""
        return (
            f"{self.documents} documents, {self.words:,} words, {self.entities:,} entities, "
            f"{self.deals:,} deals, {self.errors} errors{skipped} in {self.seconds:.1f}s "
            f"({wps:,.0f} words/s)"
        )


def split_text(text: str, max_chars: int) -> list[int]:
    """Start offsets of chunks of at most `max_chars`, cut at paragraph, line, sentence or
    space boundaries (in that order of preference), never inside a word if avoidable."""
    starts, pos = [0], 0
    while len(text) - pos > max_chars:
        window = text[pos : pos + max_chars]
        cut = -1
        for pattern in (r"\n\s*\n", r"\n", r"[.!?]\s", r"\s"):
            hits = [m.end() for m in re.finditer(pattern, window)]
            hits = [h for h in hits if h > max_chars // 4]
            if hits:
                cut = hits[-1]
                break
        pos += cut if cut > 0 else max_chars
        starts.append(pos)
    return starts


def _merge(parts: list[AnnotatedDoc], offsets: list[int], doc_id: str, text: str) -> AnnotatedDoc:
    ents, rels, aliases = [], [], []
    for part, off in zip(parts, offsets, strict=True):
        moved = {e: Entity(e.start + off, e.end + off, e.label) for e in part.entities}
        ents += moved.values()
        rels += [Relation(moved[r.head], moved[r.tail], r.label, r.score) for r in part.relations]
        aliases += [tuple(moved[e] for e in group) for group in part.aliases]
    return AnnotatedDoc(doc_id, text, ents, rels, aliases)


def run_tag(nlp: Language, items: Iterable[Item], options: TagOptions) -> Summary:
    writer = WRITERS[options.fmt](options.out, options.resume)
    page = HtmlPage(open(options.html, "w", encoding="utf-8")) if options.html else None
    model = model_info(nlp)
    summary = Summary()
    pending: dict[str, tuple[InputDoc, list[int]]] = {}
    started = time.perf_counter()
    progress = _Progress(options.progress)

    def write_error(item: InputError) -> None:
        record = {"id": item.id, "source": item.source, "error": item.error}
        writer.error(record)
        if page:
            page.error(record)
        summary.errors += 1
        progress.tick(0)

    def chunks() -> Iterator[tuple[str, str]]:
        seq = 0
        for item in items:
            if item.id in writer.done:
                summary.skipped += 1
                continue
            if isinstance(item, InputError):
                write_error(item)
                continue
            offsets = [0]
            if len(item.text) > options.max_chars:
                if options.oversize != "split":
                    write_error(
                        InputError(
                            item.id,
                            item.source,
                            f"document has {len(item.text):,} characters, over "
                            f"--max-chars {options.max_chars:,} (use --oversize split)",
                        )
                    )
                    continue
                offsets = split_text(item.text, options.max_chars)
            key = str(seq)
            seq += 1
            pending[key] = (item, offsets)
            bounds = [*offsets, len(item.text)]
            for i in range(len(offsets)):
                yield f"{key}/{i}", item.text[bounds[i] : bounds[i + 1]]

    complete = False
    try:
        parts: list[AnnotatedDoc] = []
        for part in annotate(
            nlp, chunks(), batch_size=options.batch_size, n_process=options.n_process
        ):
            key, index = part.id.split("/")
            item, offsets = pending[key]
            parts.append(part)
            if int(index) < len(offsets) - 1:
                continue
            del pending[key]
            if len(parts) == 1:  # keep the deal records the pipeline built
                doc = AnnotatedDoc(
                    item.id, item.text, part.entities, part.relations, part.aliases, part.deals
                )
            else:  # split document: deals are rebuilt on the merged whole
                doc = _merge(parts, offsets, item.id, item.text)
            parts = []
            record = tagged_record(doc, item.source, model, include_text=options.include_text)
            if item.encoding:
                record["encoding"] = item.encoding
            if item.extracted_from:
                record["extracted_from"] = item.extracted_from
                record.setdefault("text", item.text)  # offsets index the extracted text
            writer.write(record, doc)
            if page:
                page.add({**record, "text": item.text})
            n_words = len(item.text.split())
            summary.documents += 1
            summary.words += n_words
            summary.entities += len(record["entities"])
            summary.deals += len(record["facts"])
            progress.tick(n_words)
        complete = True
    finally:
        summary.outputs = writer.close(complete)
        if page:
            page.close()
        progress.close()
        summary.seconds = time.perf_counter() - started
    return summary


class _Progress:
    """Documents and documents per second on a terminal; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.n, self.start, self.last = 0, time.perf_counter(), 0.0

    def tick(self, words: int) -> None:
        self.n += 1
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last > 0.2:
            rate = self.n / max(now - self.start, 1e-9)
            sys.stderr.write(f"\r{self.n:,} documents ({rate:,.1f} docs/s)")
            sys.stderr.flush()
            self.last = now

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def summary_dict(summary: Summary) -> dict[str, Any]:
    return {k: v for k, v in summary.__dict__.items() if k != "outputs"}
