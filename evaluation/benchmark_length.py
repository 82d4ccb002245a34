"""Length benchmark: time and peak memory of tagging one document as it grows (not a test:
results are written down).

    python -m pressdeals.evaluation.benchmark_length [--sizes 1000,10000,100000,300000,1000000]

Each measurement runs in a fresh process (so that peak RSS is its own):
- `pressdeals tag` (shipped model, JSONL out, `--oversize split` at the default `--max-chars`)
  on one document of N words made of generated releases, N from 1k to 1M: seconds, words
  per second, peak RSS, and the time spent in the relation candidates (`get_candidates`)
  and the number of candidates;
- the text rules alone (`collapse_wraps`, `sentence_spans`, `sentence_index`) on the same
  documents and on 20,000 short lines (the input that took 126 s and 83 s before);
- one pathological sentence of 5,000 words: a list of counts and amounts with no full stop.
Writes evaluation/results/length.{json,md} and the README section between the `length`
markers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pressdeals.evaluation.published import publish

SIZES = (1_000, 10_000, 100_000, 300_000, 1_000_000)
SENTENCE_WORDS = 5_000
SHORT_LINES = 20_000


def long_document(words: int, seed: int = 11) -> str:
    """Generated releases, one after another, until the text has `words` words."""
    from pressdeals.training.generate import generate_document

    rng = random.Random(seed)
    parts, n, i = [], 0, 0
    while n < words:
        text = generate_document(rng, f"g{i}").text.strip()
        parts.append(text)
        n += len(text.split())
        i += 1
    text = "\n\n".join(parts)
    return " ".join(text.split(" ")[:words]) if n > words * 1.05 else text


def pathological_sentence(words: int) -> str:
    """One sentence: counts, amounts and events listed with commas, never a full stop."""
    rng = random.Random(5)
    units = ["projects", "agreements", "contracts", "deals"]
    text = "Harbin Fair Signs Record Deals\n\nAt the 2025 Harbin Green Food Fair"
    while len(text.split()) < words:
        k = rng.randint(2, 99)
        text += (
            f", {k} {rng.choice(units)} worth {rng.randint(1, 900)} million yuan were signed "
            f"with investors from the {rng.choice(['Harbin', 'Dalian', 'Shenyang'])} Expo"
        )
    return text + " and more\n"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def child_tag(text: str, workdir: Path) -> dict:
    """`pressdeals tag` on one document in this process, with the candidates timed."""
    import pressdeals.pipeline.relation_extractor as rex
    from pressdeals.api import load
    from pressdeals.inputs import Inputs
    from pressdeals.tagger import TagOptions, run_tag

    timed = {"seconds": 0.0, "candidates": 0, "calls": 0}
    original = rex.get_candidates

    def get_candidates(*args, **kwargs):
        start = time.perf_counter()
        cands = original(*args, **kwargs)
        timed["seconds"] += time.perf_counter() - start
        timed["candidates"] += len(cands)
        timed["calls"] += 1
        return cands

    rex.get_candidates = get_candidates
    nlp = load()
    loaded_mb = _rss_mb()
    src = workdir / "doc.txt"
    src.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    summary = run_tag(
        nlp, Inputs([str(src)]), TagOptions(out=workdir / "out.jsonl", oversize="split")
    )
    seconds = time.perf_counter() - start
    if summary.errors:
        raise RuntimeError(summary.failure_lines())
    return {
        "words": len(text.split()),
        "chars": len(text),
        "seconds": seconds,
        "wps": len(text.split()) / seconds,
        "model_rss_mb": loaded_mb,
        "peak_rss_mb": _peak_mb(),
        "entities": summary.entities,
        "candidates": timed["candidates"],
        "candidate_seconds": timed["seconds"],
    }


def child_text(text: str) -> dict:
    """The text rules alone."""
    from pressdeals.pipeline.text import (
        clear_text_cache,
        collapse_wraps,
        sentence_index,
        sentence_spans,
    )

    out = {"words": len(text.split()), "chars": len(text)}
    for name, fn in (
        ("collapse_wraps", collapse_wraps),
        ("sentence_spans", sentence_spans),
        ("sentence_index", sentence_index),
    ):
        clear_text_cache()  # each rule timed on its own, not on what the one before split
        start = time.perf_counter()
        fn(text)
        out[name] = time.perf_counter() - start
    out["peak_rss_mb"] = _peak_mb()
    return out


def _text_for(kind: str, size: int) -> str:
    if kind == "sentence":
        return pathological_sentence(size)
    if kind == "lines":
        return "".join(f"line {i} of a long list\n" for i in range(size))
    return long_document(size)


def child(args: argparse.Namespace) -> None:
    text = _text_for(args.kind, args.size)
    with tempfile.TemporaryDirectory() as tmp:
        result = child_tag(text, Path(tmp)) if args.what == "tag" else child_text(text)
    print(json.dumps(result))


def measure(what: str, kind: str, size: int) -> dict:
    cmd = [
        sys.executable, "-m", "pressdeals.evaluation.benchmark_length",
        "--child", what, "--kind", kind, "--size", str(size),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(what, kind, size, result, file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--child", choices=["tag", "text"])
    parser.add_argument("--kind", default="document", choices=["document", "sentence", "lines"])
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    if args.child:
        args.what = args.child
        child(args)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {
        "cpu_cores": os.cpu_count(),
        "documents": [
            {**measure("tag", "document", n), "text": measure("text", "document", n)}
            for n in sizes
        ],
        "sentence": measure("tag", "sentence", SENTENCE_WORDS),
        "short_lines": measure("text", "lines", SHORT_LINES),
    }
    table = to_markdown(results)
    publish("length", results, table)
    print(table)


def to_markdown(r: dict) -> str:
    lines = [
        f"One document of N words (generated releases end to end), `pressdeals tag` with "
        f"`--oversize split` at the default `--max-chars`, one process, {r['cpu_cores']} CPU "
        "cores, each size in a fresh process:",
        "",
        "| words | characters | seconds | words/s | peak RSS | RSS after loading the model "
        "| relation candidates | their time | text rules (wraps, sentences, index) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for d in r["documents"]:
        t = d["text"]
        rules = t["collapse_wraps"] + t["sentence_spans"] + t["sentence_index"]
        lines.append(
            f"| {d['words']:,} | {d['chars']:,} | {d['seconds']:.1f} | {d['wps']:,.0f} | "
            f"{d['peak_rss_mb']:,.0f} MB | {d['model_rss_mb']:,.0f} MB | {d['candidates']:,} | "
            f"{d['candidate_seconds']:.2f} s | {rules:.2f} s |"
        )
    s, sl = r["sentence"], r["short_lines"]
    lines += [
        "",
        f"One sentence of {s['words']:,} words (counts and amounts listed with commas, no full "
        f"stop; {s['entities']:,} entities): {s['seconds']:.1f} s, peak RSS "
        f"{s['peak_rss_mb']:,.0f} MB, {s['candidates']:,} relation candidates in "
        f"{s['candidate_seconds']:.2f} s (before: 444 s and 3.9 GB for a 4,301-word sentence).",
        f"{SHORT_LINES:,} short lines: `collapse_wraps` {sl['collapse_wraps']:.2f} s, "
        f"`sentence_spans` {sl['sentence_spans']:.2f} s (before: 126 s and 83 s).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
