"""The batch tagging run behind `pressdeals tag`: stream inputs through the pipeline into a
writer, one record or one error record per input, with a summary at the end.

Nothing a single document does can stop the run: when the pipeline raises on a batch, the
documents it had not returned are tagged again one at a time, and the one that fails gets
an error record naming the exception (`_tag_resiliently`). The run stops only for what
concerns every document: the output cannot be written (disk full), or `--resume` finds an
input whose text differs from what the output holds for its id.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.inputs import InputDoc, InputError, Item
from pressdeals.pipeline.annotate import annotate
from pressdeals.pipeline.deals import build_facts
from pressdeals.pipeline.processes import TagFailure, WorkerError, failure_message, tag_in_processes
from pressdeals.records import model_info, tagged_record
from pressdeals.writers import (
    WRITERS,
    Output,
    OutputError,
    PageWriter,
    ResumeMismatch,
    _Writer,
    clean_numbers,
    partial_path,
)

_WORD = re.compile(r"\S+")
SHOWN_FAILURES = 5  # failed inputs named in the summary (all are in the output)
# documents longer than this are tagged in parts cut at paragraph (else line, sentence,
# space) boundaries and merged back; deal records are built on the whole document
PART_CHARS = 20_000


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
    part_chars: int = PART_CHARS


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
    # (id, source, error) of the first failed inputs
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    # previous output folders kept because they hold files pressdeals did not write
    kept: list[Path] = field(default_factory=list)

    def line(self) -> str:
        wps = self.words / self.seconds if self.seconds else 0.0
        skipped = f", {self.skipped} already done" if self.skipped else ""
        return (
            f"{self.documents} documents, {self.words:,} words, {self.entities:,} entities, "
            f"{self.deals:,} deals, {self.errors} errors{skipped} in {self.seconds:.1f}s "
            f"({wps:,.0f} words/s)"
        )

    def failure_lines(self) -> list[str]:
        return failed_input_lines(self.failures, self.errors)


def failed_input_lines(failures: list[tuple[str, str, str]], errors: int) -> list[str]:
    """One line per failed input shown (id, source, why), then how many more failed."""
    lines = [f"failed: {i} ({s}): {e}" for i, s, e in failures]
    if errors > len(failures):
        lines.append(f"... and {errors - len(failures)} more failed input(s)")
    return lines


def split_text(text: str, max_chars: int) -> list[int]:
    """Start offsets of chunks of at most `max_chars`, cut at paragraph, line, sentence or
    space boundaries (in that order of preference), never inside a word if avoidable."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
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


def text_hash(text: str) -> str:
    """The input identity a record carries (`input_sha256`), checked by `--resume`."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _tag_resiliently(
    nlp: Language, chunks: Iterator[tuple[str, str]], batch_size: int, n_process: int
) -> Iterator[AnnotatedDoc | TagFailure]:
    """`annotate` over `chunks`, in order; a chunk the pipeline fails on comes back as a
    `TagFailure` and the rest go on. After a failure, the chunks the pipeline had taken but
    not returned are tagged one by one, then batching resumes (in the worker processes when
    there are several: `pipeline.processes`)."""
    if n_process > 1:
        yield from tag_in_processes(
            nlp, chunks, batch_size=batch_size, n_process=n_process, isolate_failures=True
        )
        return
    taken: deque[tuple[str, str]] = deque()
    # an exception from `chunks` itself (the output failing, a resume mismatch) is no
    # document's fault: it ends the run
    source_failed: list[BaseException] = []

    def feed() -> Iterator[tuple[str, str]]:
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                return
            except BaseException as exc:
                source_failed.append(exc)
                raise
            taken.append(chunk)
            yield chunk

    while True:
        try:
            for doc in annotate(nlp, feed(), batch_size=batch_size):
                taken.popleft()
                yield doc
            return
        except Exception:  # one document broke the batch: find it, keep the others
            if source_failed:
                raise source_failed[0] from None
            retry = list(taken)
            taken.clear()
            for chunk_id, text in retry:
                try:
                    (doc,) = annotate(nlp, [(chunk_id, text)], batch_size=1)
                except Exception as exc:
                    yield TagFailure(chunk_id, failure_message(exc))
                else:
                    yield doc


def run_tag(
    nlp: Language,
    items: Iterable[Item],
    options: TagOptions,
    output: Output | None = None,
    writer: _Writer | None = None,
) -> Summary:
    """Tag `items` into the output `options` names. `output` (checked and locked by the
    caller) defaults to an unlocked `Output` for `options.out`; `writer` replaces the
    writer of `options.fmt` (the cluster path collects a partition's records in memory)."""
    output = output or Output(options.out, options.fmt, options.html)
    if options.max_chars < 1 or options.batch_size < 1 or options.n_process < 1:
        raise ValueError("max_chars, batch_size and n_process must be at least 1")
    if options.max_chars > nlp.max_length:
        # documents up to --max-chars go through whole: the user asked for that size
        nlp.max_length = options.max_chars
    model = model_info(nlp)
    if writer is None:
        writer = WRITERS[options.fmt](output, options.resume, model)
    page = None
    if output.html is not None:
        page = PageWriter(output.html, options.resume, set(writer.done))
    summary = Summary()
    pending: dict[str, tuple[InputDoc, list[int]]] = {}
    started = time.perf_counter()
    progress = _Progress(options.progress)

    def write_error(item: InputError | InputDoc, error: str) -> None:
        record: dict[str, Any] = {"id": item.id, "source": item.source, "error": error}
        if item.input_id is not None:
            record["input_id"] = item.input_id
        if isinstance(item, InputDoc):
            record["input_sha256"] = text_hash(item.text)
        record["model"] = model
        if page:
            page.error(record)
        writer.error(record)
        summary.errors += 1
        if len(summary.failures) < SHOWN_FAILURES:
            summary.failures.append((item.id, item.source, error))
        progress.tick(0)

    def already_done(item: Item) -> bool:
        if item.id not in writer.done:
            return False
        held = writer.done[item.id]
        if isinstance(item, InputDoc) and held is not None and held != text_hash(item.text):
            raise ResumeMismatch(
                f"{item.source}: the text of {item.id!r} differs from the one tagged into "
                f"{output.out} (another input under the same id); --resume only continues "
                "the same inputs: rerun without --resume to start afresh"
            )
        return True

    def chunks() -> Iterator[tuple[str, str]]:
        seq = 0
        for item in items:
            if already_done(item):
                summary.skipped += 1
                continue
            if isinstance(item, InputError):
                write_error(item, item.error)
                continue
            if len(item.text) > options.max_chars and options.oversize != "split":
                write_error(
                    item,
                    f"document has {len(item.text):,} characters, over "
                    f"--max-chars {options.max_chars:,} (use --oversize split)",
                )
                continue
            # a long document goes through in parts: the pipeline's memory grows with the
            # length of what it holds at once, so parts keep it flat whatever the size
            part = min(options.max_chars, options.part_chars)
            offsets = split_text(item.text, part) if len(item.text) > part else [0]
            key = str(seq)
            seq += 1
            pending[key] = (item, offsets)
            bounds = [*offsets, len(item.text)]
            for i in range(len(offsets)):
                yield f"{key}/{i}", item.text[bounds[i] : bounds[i + 1]]

    def finish(item: InputDoc, parts: list[AnnotatedDoc], offsets: list[int]) -> None:
        if len(parts) == 1:  # keep the deal records the pipeline built
            part = parts[0]
            doc = AnnotatedDoc(
                item.id, item.text, part.entities, part.relations, part.aliases, part.deals
            )
        else:  # split document: deals are rebuilt on the merged whole
            doc = _merge(parts, offsets, item.id, item.text)
        parts.clear()  # the parts are in `doc` now: free them before the record is built
        # facts come below, from the cleaned deals
        record = tagged_record(
            doc, item.source, model, include_text=options.include_text, with_facts=False
        )
        if item.input_id is not None:
            record["input_id"] = item.input_id
        if item.encoding:
            record["encoding"] = item.encoding
        if item.encoding_confidence is not None:
            record["encoding_confidence"] = item.encoding_confidence
        if item.extracted_from:
            record["extracted_from"] = item.extracted_from
            record.setdefault("text", item.text)  # offsets index the extracted text
        record["input_sha256"] = text_hash(item.text)
        # the only numbers that come from the text; facts are rebuilt from the cleaned records
        clean_numbers(record["deals"])
        record["facts"] = [f.as_dict() for f in build_facts(doc, record["deals"])]
        if page:  # the page first: a section without a record is dropped on resume
            page.add({**record, "text": item.text})
        writer.write(record, doc)
        n_words = sum(1 for _ in _WORD.finditer(item.text))  # no list of every word
        summary.documents += 1
        summary.words += n_words
        summary.entities += len(record["entities"])
        summary.deals += len(record["facts"])
        progress.tick(n_words)

    complete = False
    died: WorkerError | None = None
    try:
        parts: list[AnnotatedDoc] = []
        failure: str | None = None
        for part in _tag_resiliently(nlp, chunks(), options.batch_size, options.n_process):
            key, index = part.id.split("/")
            item, offsets = pending[key]
            if isinstance(part, TagFailure):
                failure = failure or part.error
            else:
                parts.append(part)
            if int(index) < len(offsets) - 1:
                continue
            del pending[key]
            if failure is not None:
                write_error(item, failure)
            else:
                try:
                    finish(item, parts, offsets)
                except (OSError, OutputError):  # the output, not the document: stop
                    raise
                except Exception as exc:  # building this one record failed: say so
                    write_error(item, f"cannot build the record: {type(exc).__name__}: {exc}")
            parts, failure = [], None
        complete = True
    except WorkerError as exc:  # the partial output is closed below, then the run stops
        died = exc
    finally:
        summary.seconds = time.perf_counter() - started
        progress.close()
        try:
            summary.outputs = writer.close(complete)
            summary.kept = list(getattr(writer, "kept", []))
            if page:
                summary.outputs += page.close(complete)
        except Exception:
            if complete:  # the output could not be put in place: no success to report
                raise
    if died is not None:
        written = summary.skipped + summary.documents + summary.errors
        # writers name their final paths; what an unfinished run leaves is their partials
        kept = [
            partial_path(p) if partial_path(p).exists() else p for p in summary.outputs
        ]
        raise WorkerError(
            f"{died}; the {written:,} documents tagged before it are kept in "
            f"{', '.join(map(str, kept))}: rerun the same command with --resume to tag the rest"
        )
    missing = [p for p in summary.outputs if not p.exists()]
    if missing:
        raise OutputError(f"{missing[0]}: the run finished but this output is missing")
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
    return {
        k: v for k, v in summary.__dict__.items() if k not in ("outputs", "failures", "kept")
    }
