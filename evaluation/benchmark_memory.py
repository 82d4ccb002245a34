"""Memory benchmark of long tagging runs with 1 and 2 processes (not a test: results are
written down).

    python -m pressdeals.evaluation.benchmark_memory [--docs 50000] [--processes 1,2]

`pressdeals tag` (shipped model, JSONL out, `--no-text`) on a stream of the `corpus/dev`
texts repeated with distinct ids, each run in a fresh process; the RSS of the run's whole
process tree (the main process and its workers) is sampled every 0.5 s together with the
number of records written. Memory is flat when the peak of the last quarter of the stream
is within 10% of the peak of the first quarter. Writes evaluation/results/memory.{json,md}
and the README section between the `memory` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pressdeals.evaluation.benchmark_speed import _children, _rss_mb
from pressdeals.evaluation.published import publish
from pressdeals.paths import CORPUS

FLAT = 1.10  # last quarter's peak over the first quarter's


def write_stream(path: Path, n: int) -> int:
    """The dev texts, repeated in order until there are `n`, ids `dev-00001`...; words."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "dev").glob("*.txt"))]
    words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = texts[i % len(texts)]
            words += len(text.split())
            fh.write(json.dumps({"id": f"dev-{i:05d}", "text": text}) + "\n")
    return words


def run_tag(stream: Path, out: Path, n_process: int, words: int) -> dict:
    """Time `pressdeals tag` and sample the RSS of its process tree and the records written."""
    cmd = [sys.executable, "-m", "pressdeals.cli", "tag", str(stream), "--out", str(out),
           "--no-text", "--n-process", str(n_process)]
    partial = out.with_name(out.name + ".partial")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[int, float, float]] = []
    done, offset = 0, 0
    while proc.poll() is None:
        pids = [proc.pid, *_children(proc.pid)]
        if partial.exists():  # count only the lines added since the last sample
            with open(partial, "rb") as fh:
                fh.seek(offset)
                chunk = fh.read()
            done += chunk.count(b"\n")
            offset += len(chunk)
        samples.append((done, _rss_mb(pids), max((_rss_mb([p]) for p in pids), default=0)))
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(stderr)
    return {"seconds": seconds, "words": words, "wps": words / seconds,
            "peak_rss_mb": max(s[1] for s in samples), "summary": stderr.strip().splitlines()[0],
            "samples": samples}


def quarters(samples: list[tuple[int, float, float]], docs: int) -> dict:
    """Peak RSS of the whole tree in the first and last quarter of the stream (by records
    written; samples before the first record are the model loading)."""
    first = [s[1] for s in samples if 0 < s[0] <= docs / 4]
    last = [s[1] for s in samples if s[0] >= docs * 3 / 4]
    a, b = max(first, default=0.0), max(last, default=0.0)
    return {"first_quarter_peak_mb": a, "last_quarter_peak_mb": b,
            "ratio": b / a if a else None, "flat": bool(a) and b <= a * FLAT}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--processes", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pressdeals-memory-"))
    stream = tmp / "stream.jsonl"
    words = write_stream(stream, args.docs)
    results: dict = {"docs": args.docs, "words": words, "cpu_cores": os.cpu_count(), "runs": {}}
    for n in map(int, args.processes.split(",")):
        run = run_tag(stream, tmp / f"out{n}.jsonl", n, words)
        (tmp / f"out{n}.jsonl").unlink()
        results["runs"][str(n)] = {**run, **quarters(run["samples"], args.docs)}
        print(json.dumps({k: v for k, v in results["runs"][str(n)].items() if k != "samples"}))
    table = to_markdown(results)
    publish("memory", results, table)
    print(table)


def to_markdown(r: dict) -> str:
    lines = [
        f"`pressdeals tag` on {r['docs']:,} releases (the dev texts repeated with distinct ids, "
        f"{r['words']:,} words), RSS of the main process and its workers together, "
        f"{r['cpu_cores']} CPU cores:",
        "",
        "| processes | words/s | peak RSS | peak, first quarter | peak, last quarter "
        "| last / first "
        "| RSS at 10% / 50% / 100% of the stream | flat |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, run in r["runs"].items():
        samples = [s for s in run["samples"] if s[0] > 0]
        marks = []
        for frac in (0.1, 0.5, 1.0):
            hit = next((s for s in samples if s[0] >= r["docs"] * frac), samples[-1])
            marks.append(f"{hit[1]:,.0f}")
        lines.append(
            f"| {n} | {run['wps']:,.0f} | {run['peak_rss_mb']:,.0f} MB "
            f"| {run['first_quarter_peak_mb']:,.0f} MB | {run['last_quarter_peak_mb']:,.0f} MB "
            f"| {run['ratio']:.2f} | {' / '.join(marks)} MB | {'yes' if run['flat'] else 'no'} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
