"""`pressdeals tag --n-process N` (pipeline/processes.py): the same records as one process, a
bad document is an error record, and a worker that dies stops the run with a clear error and
a partial output that `--resume` completes; never a hang."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from pressdeals.cli import app

from .conftest import ROOT, STUB_PATTERNS

KILL_FLAG = "PRESSDEALS_TEST_KILL_FLAG"


@Language.component("pressdeals_test_faults")
def _faults(doc):
    """BOOM: the pipeline raises; DIE: the worker kills itself, once (while the flag file
    named by $PRESSDEALS_TEST_KILL_FLAG exists); SLOW: takes 20 ms."""
    if "BOOM" in doc.text:
        raise RuntimeError("boom")
    flag = os.environ.get(KILL_FLAG)
    if "DIE" in doc.text and flag and os.path.exists(flag):
        os.remove(flag)
        os.kill(os.getpid(), signal.SIGKILL)
    if "SLOW" in doc.text:
        time.sleep(0.02)
    return doc


@pytest.fixture(scope="module")
def fault_model(tmp_path_factory) -> Path:
    from pressdeals.pipeline.tokenizer import blank_nlp

    nlp = blank_nlp()
    nlp.add_pipe("entity_ruler").add_patterns(STUB_PATTERNS)
    nlp.add_pipe("pressdeals_test_faults")
    nlp.add_pipe("deal_records")
    nlp.meta["name"] = "faults"
    nlp.meta["version"] = "1.0.0"
    path = tmp_path_factory.mktemp("faults") / "model"
    nlp.to_disk(path)
    return path


def release(i: int, marker: str = "") -> str:
    return (
        f"Delta Expo Closes {marker}\n\nA total of {i} projects worth {i}.5 billion yuan were "
        f"signed at the Delta Expo in Harbin, organisers said.\n"
    )


def write_jsonl(path: Path, texts: list[str]) -> Path:
    rows = [{"id": f"d{i:03d}", "text": t} for i, t in enumerate(texts)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def tag(*args):
    result = CliRunner().invoke(app, ["tag", *map(str, args)])
    # whatever happens ends in an exit status, never in another exception
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.slow
def test_two_processes_give_the_records_of_one_process(tmp_path):
    """The shipped model on real-looking releases, a hard-wrapped one and one long enough to
    be tagged in parts; chunks of 8 documents, so several chunks are in flight."""
    from pressdeals.tagger import PART_CHARS

    dev = sorted((ROOT / "corpus/dev").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in dev[:16]]
    wrapped = "\n".join(texts[0][i : i + 60] for i in range(0, len(texts[0]), 60))
    long = "\n\n".join(texts * (PART_CHARS // len("".join(texts)) + 1))
    assert len(long) > PART_CHARS
    src = write_jsonl(tmp_path / "in.jsonl", [*texts[:8], wrapped, long, *texts[8:]])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert tag(src, "--out", one, "--batch-size", 2).exit_code == 0
    assert tag(src, "--out", two, "--batch-size", 2, "--n-process", 2).exit_code == 0
    a, b = records(one), records(two)
    assert len(a) == 18 and sum(len(r["entities"]) for r in a) > 100
    assert a == b


def test_a_bad_document_is_an_error_record_with_two_processes(tmp_path, fault_model):
    texts = [release(i, "BOOM" if i in (5, 17) else "") for i in range(24)]
    out = tmp_path / "o.jsonl"
    result = tag(write_jsonl(tmp_path / "in.jsonl", texts), "--out", out, "--model", fault_model,
                 "--batch-size", 2, "--n-process", 2)
    assert result.exit_code == 1  # some documents failed: the run went on
    by_id = {r["id"]: r for r in records(out)}
    assert len(by_id) == 24
    assert by_id["d005"]["error"] == "the pipeline failed: RuntimeError: boom"
    assert "error" in by_id["d017"] and "error" not in by_id["d004"]
    assert by_id["d006"]["entities"]  # the rest of the bad document's batch is tagged


@pytest.mark.slow
def test_a_worker_that_dies_ends_in_an_error_and_resume_completes(tmp_path, fault_model):
    """A real `pressdeals` process: exit status, the one error line, no traceback anywhere
    on stderr (workers included)."""
    texts = [release(i, "DIE" if i == 40 else "") for i in range(60)]
    src = write_jsonl(tmp_path / "in.jsonl", texts)
    out = tmp_path / "o.jsonl"
    flag = tmp_path / "kill-once"
    flag.touch()
    cmd = [sys.executable, "-c", "import tests.test_multiprocess; from pressdeals.cli import app; "
           "app()", "tag", str(src), "--out", str(out), "--model", str(fault_model),
           "--batch-size", "2", "--n-process", "2"]
    env = {**os.environ, KILL_FLAG: str(flag)}
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert not flag.exists()  # the worker did die
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    (line,) = [ln for ln in run.stderr.splitlines() if ln.startswith("error: ")]
    assert "was killed by SIGKILL while tagging" in line and "--resume" in line
    partial = tmp_path / "o.jsonl.partial"
    assert str(partial) in line and not out.exists()
    written = len(records(partial))
    assert f"the {written:,} documents tagged before it" in line
    assert 0 < written <= 40  # at most the documents before the one that killed it
    # in this process, and with one (workers are tested by the test below): the partial
    # the dead run left is what is resumed
    resumed = tag(src, "--out", out, "--model", fault_model, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert f"{written} already done" in resumed.output
    ids = [r["id"] for r in records(out)]
    assert ids == sorted(ids) and sorted(set(ids)) == [f"d{i:03d}" for i in range(60)]
    single = tmp_path / "single.jsonl"
    assert tag(src, "--out", single, "--model", fault_model).exit_code == 0
    assert records(out) == records(single)


@pytest.mark.slow
def test_a_worker_killed_from_outside_ends_in_an_error(tmp_path, fault_model):
    """The pid of a worker from `multiprocessing.active_children()`, killed mid-run."""
    texts = [release(i, "SLOW") for i in range(400)]
    src = write_jsonl(tmp_path / "in.jsonl", texts)
    out = tmp_path / "o.jsonl"
    partial = tmp_path / "o.jsonl.partial"
    killed: list[int] = []

    def kill_a_worker() -> None:
        deadline = time.time() + 120
        while time.time() < deadline and not killed:
            children = multiprocessing.active_children()
            done = partial.read_text(encoding="utf-8").count("\n") if partial.exists() else 0
            if children and done >= 8:
                os.kill(children[0].pid, signal.SIGKILL)
                killed.append(children[0].pid)
            time.sleep(0.02)

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    started = time.time()
    result = tag(src, "--out", out, "--model", fault_model, "--batch-size", 4, "--n-process", 2)
    killer.join()
    assert killed and time.time() - started < 120  # noticed, not waited out
    assert result.exit_code == 2
    assert f"worker process {killed[0]} was killed by SIGKILL" in result.output
    assert not out.exists() and 8 <= len(records(partial)) < 400
    assert not multiprocessing.active_children()  # the other worker is stopped too
    resumed = tag(src, "--out", out, "--model", fault_model, "--resume", "--n-process", 2)
    assert resumed.exit_code == 0, resumed.output
    assert sorted(r["id"] for r in records(out)) == [f"d{i:03d}" for i in range(400)]


def test_a_worker_that_cannot_load_the_pipeline_says_so():
    from pressdeals.pipeline import processes

    processes._init_worker(b"not a pickle", b"")
    with pytest.raises(processes.WorkerError, match="could not load the pipeline: "):
        processes._tag_chunk([("a", "text")], 8, None, True)
