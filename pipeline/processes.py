"""Tagging with several worker processes (`annotate(..., n_process=N)`, `pressdeals tag
--n-process N`).

Chunks of `(id, text)` pairs go to a `ProcessPoolExecutor` of spawned processes; each worker
receives the pipeline once (pickled, with the parent's thinc ops) and tags every chunk with
the single-process path of `annotate`: memory zones, batches cut by characters, soft wraps
collapsed and offsets mapped back in the worker. The parent keeps the texts, hands results
on in input order and keeps at most `IN_FLIGHT` chunks per worker, so memory stays flat.

Why not spaCy's `nlp.pipe(n_process=N)`: a worker that died there left the run waiting
forever, and its workers tag outside memory zones, so their vocab grew with every new
string. Here `concurrent.futures` notices a dead worker (the pool breaks) and the run stops
with `WorkerError`. There is no restart: whatever killed a worker (the kernel's OOM killer, a
document that crashes the pipeline's C code) would most likely kill the next one too; the
caller keeps what was written and `pressdeals tag --resume` goes on from there.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from spacy.language import Language
from thinc.api import Model, get_current_ops
from thinc.backends.ops import Ops

from pressdeals.backend import one_blas_thread
from pressdeals.document import AnnotatedDoc
from pressdeals.pipeline.annotate import BATCH_CHARS, ZONE_DOCS, annotate, batch_plan

CHUNK_BATCHES = 4  # a chunk is up to 4 batches: big enough that IPC is a small cost
CHUNK_CHARS = 4 * BATCH_CHARS  # ... and at most this many characters, whatever the documents
IN_FLIGHT = 2  # chunks per worker: one being tagged and one waiting, so no worker idles


class WorkerError(RuntimeError):
    """A worker process died, or the workers could not be started; the message says which
    and why."""


@dataclass(frozen=True)
class TagFailure:
    """A document the pipeline raised on (only with `isolate_failures`)."""

    id: str
    error: str


def failure_message(exc: BaseException) -> str:
    return f"the pipeline failed: {type(exc).__name__}: {exc}"


# --- in the worker ------------------------------------------------------------------------

def pipeline_ops(nlp: Language) -> Ops:
    """The ops the pipeline's models were built with (`pressdeals.load` chooses them by
    measuring; thinc's current ops may differ once loading is over)."""
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if isinstance(model, Model):
            return model.ops
    return get_current_ops()


_NLP: Language | None = None
_START_ERROR: str | None = None


def _init_worker(ops: bytes, nlp_file: str) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _NLP, _START_ERROR
    try:
        from thinc.api import set_current_ops

        # the parent pipeline's matrix backend (pressdeals.backend), set before the models
        # are rebuilt on it, with its one OpenBLAS thread
        worker_ops = pickle.loads(ops)
        set_current_ops(worker_ops)
        if not getattr(worker_ops, "use_blis", True):
            one_blas_thread()
        with open(nlp_file, "rb") as fh:
            _NLP = pickle.load(fh)
    except Exception as exc:  # reported with the first chunk: an initializer's own
        # exception would only be logged (a traceback) and the pool marked broken
        _START_ERROR = f"{type(exc).__name__}: {exc}"


def _tag_chunk(
    chunk: list[tuple[str, str]],
    batch_size: int,
    label_map: dict[str, str] | None,
    isolate_failures: bool,
) -> list[AnnotatedDoc | TagFailure]:
    if _NLP is None:
        raise WorkerError(f"a worker process could not load the pipeline: {_START_ERROR}")
    try:
        docs: list[AnnotatedDoc | TagFailure] = list(
            annotate(_NLP, chunk, batch_size=batch_size, label_map=label_map)
        )
    except Exception:
        if not isolate_failures:
            raise
        # one document broke its batch: tag the chunk one by one to find it, keep the others
        docs = []
        for doc_id, text in chunk:
            try:
                docs += annotate(_NLP, [(doc_id, text)], batch_size=1, label_map=label_map)
            except Exception as exc:
                docs.append(TagFailure(doc_id, failure_message(exc)))
    # the parent holds the texts: do not send them back
    return [replace(d, text="") if isinstance(d, AnnotatedDoc) else d for d in docs]


# --- in the parent ------------------------------------------------------------------------


def _chunks(docs: Iterable[tuple[str, str]], batch_size: int) -> Iterator[list[tuple[str, str]]]:
    """Chunks of whole batches of the one-process plan (`annotate.batch_plan` over blocks of
    `ZONE_DOCS` documents), never across a block: a worker cuts a chunk into the same
    batches again, so every document is tagged in the batch it has with one process and the
    records are the same to the last digit."""
    stream = iter(docs)
    while block := list(islice(stream, ZONE_DOCS)):
        chunk_start, chunk_batches, chars = 0, 0, 0
        for start, end in batch_plan([len(text) for _, text in block], batch_size):
            size = sum(len(text) for _, text in block[start:end])
            if chunk_batches and (chunk_batches >= CHUNK_BATCHES or chars + size > CHUNK_CHARS):
                yield block[chunk_start:start]
                chunk_start, chunk_batches, chars = start, 0, 0
            chunk_batches += 1
            chars += size
        yield block[chunk_start:]


def _death(processes: dict[int, Any]) -> str:
    """What happened to the pool's workers, e.g. 'worker process 123 was killed by SIGKILL'."""
    dead = []
    deadline = time.monotonic() + 2
    for pid, proc in processes.items():
        proc.join(timeout=max(0.0, deadline - time.monotonic()))
        code = proc.exitcode
        # the pool's own thread may be reaping the same process: its code shows up shortly
        while code is None and time.monotonic() < deadline:
            time.sleep(0.02)
            code = proc.exitcode
        if code is None or code == -signal.SIGTERM:  # alive, or stopped by the pool itself
            continue
        if code < 0:
            dead.append(f"worker process {pid} was killed by {signal.Signals(-code).name}")
        else:
            dead.append(f"worker process {pid} exited with status {code}")
    return "; ".join(dead) or "a worker process died"


class _Pool:
    """A process pool that remembers its workers, so a death can be named."""

    def __init__(self, nlp: Language, n_process: int) -> None:
        # The pipeline goes to the workers through a file, not the initializer's arguments:
        # spawn writes those into a pipe to the new process, and a process that dies before
        # reading them all (a script without `if __name__ == "__main__":`, the OOM killer)
        # would leave that write, and the run, blocked forever.
        with tempfile.NamedTemporaryFile(
            "wb", prefix="pressdeals-pipeline-", suffix=".pickle", delete=False
        ) as fh:
            self.nlp_file = Path(fh.name)
            try:
                pickle.dump(nlp, fh, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # a component defined inside a function, a lambda...
                fh.close()
                self.nlp_file.unlink(missing_ok=True)
                raise WorkerError(
                    f"cannot send the pipeline to worker processes ({type(exc).__name__}: "
                    f"{exc}): its components must be importable; tag with one process"
                ) from None
        self.executor = ProcessPoolExecutor(
            n_process,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(pickle.dumps(pipeline_ops(nlp)), str(self.nlp_file)),
        )
        self.processes: dict[int, Any] = {}

    def submit(self, *args: Any) -> Future:
        try:
            future = self.executor.submit(_tag_chunk, *args)
        except BrokenProcessPool:
            raise WorkerError(self._died()) from None
        # workers start on demand: remember each one to name it if it dies
        self.processes.update(getattr(self.executor, "_processes", None) or {})
        return future

    def result(self, future: Future) -> list[AnnotatedDoc | TagFailure]:
        try:
            return future.result()
        except BrokenProcessPool:
            raise WorkerError(self._died()) from None

    def _died(self) -> str:
        return f"{_death(self.processes)} while tagging"

    def close(self, finished: bool) -> None:
        if not finished:  # stopped early (an error, Ctrl-C): do not wait for the chunks
            for proc in self.processes.values():
                if proc.is_alive():
                    proc.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.nlp_file.unlink(missing_ok=True)


def tag_in_processes(
    nlp: Language,
    docs: Iterable[tuple[str, str]],
    *,
    batch_size: int = 64,
    n_process: int = 2,
    label_map: dict[str, str] | None = None,
    isolate_failures: bool = False,
) -> Iterator[AnnotatedDoc | TagFailure]:
    """Tag `(id, text)` pairs in `n_process` worker processes; one result per input, in
    order. A document the pipeline raises on raises here too, unless `isolate_failures`:
    then it comes back as a `TagFailure` and the rest go on. A dead worker raises
    `WorkerError`; the results handed on before it are complete."""
    pool = _Pool(nlp, n_process)
    waiting: deque[tuple[Future, list[tuple[str, str]]]] = deque()

    def hand_on() -> Iterator[AnnotatedDoc | TagFailure]:
        future, chunk = waiting.popleft()
        for (_, text), doc in zip(chunk, pool.result(future), strict=True):
            yield replace(doc, text=text) if isinstance(doc, AnnotatedDoc) else doc

    finished = False
    try:
        for chunk in _chunks(docs, batch_size):
            waiting.append((pool.submit(chunk, batch_size, label_map, isolate_failures), chunk))
            if len(waiting) >= IN_FLIGHT * n_process:
                yield from hand_on()
        while waiting:
            yield from hand_on()
        finished = True
    finally:
        pool.close(finished)
