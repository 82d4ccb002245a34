"""The driver of `pressdeals tag --scheduler tcp://HOST:PORT` / `--dask-workers N`.

It plans the input partitions (`partitions`), checks or starts the output dataset
(`dataset`), and sends one task per partition that is not done yet; each task reads, tags
and writes its partition on a worker (`dataset.tag_partition`). Faults:

- a worker that dies (killed, out of memory) loses only its running tasks: the scheduler
  runs them again on another worker (the nanny restarts the dead one); a task that ran
  twice writes the same file names again, so nothing is duplicated;
- a partition that kills its worker again and again (Dask gives up after
  `distributed.scheduler.allowed-failures` tries) or whose task raises is reported by
  name, the run finishes the others and exits 1: `--resume` tries only what is missing;
- a bad document or an unreadable piece of a table gets an error record, as in
  `pressdeals tag`;
- losing the scheduler or the driver ends the run with an error; the finished partitions
  stay and `--resume` skips them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pressdeals.cluster import TagSettings, worker_model
from pressdeals.dataset import Dataset, DatasetError, PartResult, tag_partition
from pressdeals.partitions import Partition, PartitionError, list_tables, plan_partitions
from pressdeals.tagger import failed_input_lines

SHOWN_FAILURES = 5
# worker settings of a local cluster: no statistical profiler (it samples every thread's
# stack every 10 ms to feed a dashboard that is off here: the CPU it takes is tagging's)
LOCAL_CLUSTER_CONFIG: dict[str, Any] = {"distributed.worker.profile.enabled": False}


class ClusterError(Exception):
    """The run cannot start or go on; the message names the cause and what to do."""


@dataclass
class ClusterOptions:
    out: str
    scheduler: str | None = None
    workers: int | None = None  # a LocalCluster of this many worker processes
    partition_size: int = 1000
    resume: bool = False
    connect_timeout: float = 30.0
    progress: bool = False


@dataclass
class ClusterSummary:
    partitions: int = 0
    skipped: int = 0  # partitions already done (--resume)
    documents: int = 0
    errors: int = 0
    words: int = 0
    entities: int = 0
    facts: int = 0
    seconds: float = 0.0
    workers: int = 0
    passed_over: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    # (partition, why) of partitions without output
    failed_partitions: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        wps = self.words / self.seconds if self.seconds else 0.0
        skipped = f", {self.skipped} already done" if self.skipped else ""
        return (
            f"{self.partitions} partitions on {self.workers} workers{skipped}: "
            f"{self.documents} documents, {self.words:,} words, {self.entities:,} entities, "
            f"{self.facts:,} deals, {self.errors} errors in {self.seconds:.1f}s "
            f"({wps:,.0f} words/s)"
        )

    def failure_lines(self) -> list[str]:
        lines = failed_input_lines(self.failures, self.errors)
        for where, why in self.failed_partitions[:SHOWN_FAILURES]:
            lines.append(f"partition not written: {where}: {why}")
        if len(self.failed_partitions) > SHOWN_FAILURES:
            lines.append(f"... and {len(self.failed_partitions) - SHOWN_FAILURES} more")
        if self.failed_partitions:
            lines.append("the other partitions are written: rerun with --resume to try again")
        return lines


def model_identity(model: str) -> dict[str, Any]:
    """The model (and pressdeals version) a worker tags with; loads it there (a task)."""
    import pressdeals
    from pressdeals.records import model_info

    return {"model": model_info(worker_model(model or None)), "pressdeals": pressdeals.__version__}


@contextlib.contextmanager
def _client(options: ClusterOptions) -> Iterator[Any]:
    # workers log at "info" by default: a run's stderr keeps the summary and real warnings
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    import dask
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)
    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout=options.connect_timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"--scheduler {options.scheduler}: cannot connect ({exc}); is the scheduler "
                "running (`dask scheduler`) and reachable from here?"
            ) from exc
        with client:
            yield client
        return
    # one thread per worker process: the process's pipeline tags one partition at a time
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = LocalCluster(
            n_workers=options.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        with cluster, Client(cluster) as client:
            yield client


def run_cluster(
    inputs: list[str],
    settings: TagSettings,
    options: ClusterOptions,
    client: Any = None,
    on_result: Callable[[PartResult, Any], None] | None = None,
) -> ClusterSummary:
    """Tag `inputs` (Parquet/JSONL tables) into the dataset `options.out` on a cluster.
    `client`: an existing `distributed.Client` (else one is made from `options`);
    `on_result` is called after each finished partition (tests use it to kill a worker)."""
    if options.partition_size < 1:
        raise ClusterError(f"--partition-size {options.partition_size}: must be at least 1")
    local_out = None if "://" in options.out else Path(options.out).resolve()
    try:
        tables, passed_over = list_tables(inputs, exclude=local_out)
        if not tables:
            raise ClusterError(
                f"no input tables found in {', '.join(inputs)} (the cluster path reads "
                ".parquet and .jsonl)"
            )
        plan = plan_partitions(tables, options.partition_size, settings.text_field)
    except PartitionError as exc:
        raise ClusterError(str(exc)) from exc
    lock = _lock(local_out)
    try:
        try:  # misuse first: no cluster starts for an output this run must not write
            Dataset(options.out).check(options.resume)
        except DatasetError as exc:
            raise ClusterError(str(exc)) from exc
        if client is not None:
            summary = _run(plan, settings, options, client, on_result)
        else:
            with _client(options) as made:
                summary = _run(plan, settings, options, made, on_result)
    finally:
        if lock is not None:
            lock.unlock()
    summary.passed_over = passed_over
    return summary


def _lock(out: Path | None) -> Any:
    """`OUT.lock` beside a local output, as `pressdeals tag` holds (fsspec URLs: none)."""
    if out is None:
        return None
    from pressdeals.writers import Output, OutputError

    if not out.parent.is_dir():
        raise ClusterError(
            f"--out {out}: folder {out.parent} does not exist; create it first or choose "
            "another --out"
        )
    output = Output(out, "brat")
    try:
        output.lock()
    except OutputError as exc:
        raise ClusterError(str(exc)) from exc
    return output


def _run(
    plan: list[Partition],
    settings: TagSettings,
    options: ClusterOptions,
    client: Any,
    on_result: Callable[[PartResult, Any], None] | None,
) -> ClusterSummary:
    from distributed import as_completed

    try:
        client.wait_for_workers(1, timeout=options.connect_timeout)
    except TimeoutError as exc:
        raise ClusterError(
            f"the scheduler at {client.scheduler.address} has no workers after "
            f"{options.connect_timeout:.0f}s: start some (`dask worker "
            f"{client.scheduler.address} --nthreads 1`)"
        ) from exc
    try:
        found = client.submit(model_identity, settings.model, pure=False).result()
    except Exception as exc:
        raise ClusterError(
            f"the workers cannot load model {settings.model or 'pressdeals (shipped)'}: "
            f"{type(exc).__name__}: {exc}; is pressdeals installed on every worker?"
        ) from exc
    import pressdeals

    if found["pressdeals"] != pressdeals.__version__:
        raise ClusterError(
            f"the workers run pressdeals {found['pressdeals']}, this driver "
            f"{pressdeals.__version__}: install the same version everywhere"
        )
    identity = {
        "model": found["model"],
        "settings": {k: v for k, v in asdict(settings).items() if k != "model"},
        "partitions": [p.as_dict() for p in plan],
    }
    dataset = Dataset(options.out)
    try:
        dataset.prepare(options.resume, identity)
    except DatasetError as exc:
        raise ClusterError(str(exc)) from exc
    except OSError as exc:
        raise ClusterError(f"--out {options.out}: cannot write it ({exc})") from exc
    done = dataset.finished() if options.resume else set()
    summary = ClusterSummary(partitions=len(plan), skipped=len(done & set(range(len(plan)))))
    summary.workers = len(client.nthreads())  # scheduler_info lists only a few
    started = time.perf_counter()
    run_id = uuid.uuid4().hex[:8]
    futures = {}
    for index, part in enumerate(plan):
        if index in done:
            continue
        future = client.submit(
            tag_partition, index, part, settings, options.out,
            key=f"pressdeals-part-{index:05d}-{run_id}", pure=False,
        )
        futures[future] = index
    progress = _Progress(options.progress, len(futures))
    try:
        for future in as_completed(list(futures)):
            index = futures.pop(future)
            if future.status != "finished":
                summary.failed_partitions.append((plan[index].describe(), _why(future)))
                progress.tick()
                continue
            result: PartResult = future.result()
            future.release()
            summary.documents += result.documents
            summary.errors += result.errors
            summary.words += result.words
            summary.entities += result.entities
            summary.facts += result.facts
            room = SHOWN_FAILURES - len(summary.failures)
            summary.failures += result.failures[: max(room, 0)]
            progress.tick()
            if on_result is not None:
                on_result(result, client)
    except KeyboardInterrupt:
        client.cancel(list(futures))
        raise
    except ClusterError:
        raise
    except Exception as exc:  # the scheduler went away, a comm failed...
        with contextlib.suppress(Exception):
            client.cancel(list(futures))
        raise ClusterError(
            f"the cluster run stopped: {type(exc).__name__}: {exc}; the finished partitions "
            f"are kept in {options.out}: rerun with --resume"
        ) from exc
    finally:
        progress.close()
    summary.seconds = time.perf_counter() - started
    if not summary.failed_partitions:
        dataset.write_marker({**identity, "complete": True})
    return summary


def _why(future: Any) -> str:
    exc = future.exception()
    name = type(exc).__name__
    if name == "KilledWorker":
        return (
            "it killed its worker on every try (a crash or out of memory on one of its "
            "documents?); a smaller --partition-size narrows it down"
        )
    return f"{name}: {exc}"


class _Progress:
    """Partitions done, on a terminal; silent otherwise."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total, self.n = total, 0

    def tick(self) -> None:
        self.n += 1
        if self.enabled:
            sys.stderr.write(f"\r{self.n:,}/{self.total:,} partitions")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
