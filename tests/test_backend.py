"""The matrix backend: measured or forced, the same outputs either way, clear misuse errors."""

from __future__ import annotations

import pytest

from pressdeals import backend


@pytest.fixture(autouse=True)
def fresh_choice():
    backend.measured_choice.cache_clear()
    yield
    backend.measured_choice.cache_clear()


def test_the_environment_forces_a_backend(monkeypatch):
    monkeypatch.setenv(backend.ENV, "blis")
    assert backend.measured_choice() == "blis"
    backend.measured_choice.cache_clear()
    monkeypatch.setenv(backend.ENV, "NumPy ")
    assert backend.measured_choice() == "numpy"


def test_an_unknown_backend_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(backend.ENV, "cupy")
    with pytest.raises(backend.BackendError, match="PRESSDEALS_OPS='cupy': use one of blis, numpy"):
        backend.measured_choice()


def test_the_measurement_picks_the_faster_product(monkeypatch):
    monkeypatch.delenv(backend.ENV, raising=False)
    timings = {True: 1.0, False: 0.5}  # use_blis -> seconds
    monkeypatch.setattr(backend, "_time_gemm", lambda ops: timings[ops.use_blis])
    assert backend.measured_choice() == "numpy"
    backend.measured_choice.cache_clear()
    timings[False] = 0.95  # not clearly faster: thinc's default stays
    assert backend.measured_choice() == "blis"


@pytest.mark.slow
def test_both_backends_tag_alike(monkeypatch):
    """The shipped pipeline built on either backend gives the same entities and relations."""
    import pressdeals

    texts = [p.read_text(encoding="utf-8") for p in sorted(backend_texts())]
    outputs = {}
    for choice in backend.CHOICES:
        backend.measured_choice.cache_clear()
        monkeypatch.setenv(backend.ENV, choice)
        nlp = pressdeals.load()
        assert nlp.get_pipe("ner").model.ops.use_blis == (choice == "blis")
        outputs[choice] = [
            (
                [(e.start_char, e.end_char, e.label_) for e in doc.ents],
                [(r["label"], round(r["score"], 4)) for r in doc._.relations],
            )
            for doc in nlp.pipe(texts)
        ]
    assert outputs["blis"] == outputs["numpy"]


def test_a_bad_backend_setting_is_a_one_line_cli_error(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from pressdeals.cli import app

    monkeypatch.setenv(backend.ENV, "cupy")
    src = tmp_path / "a.txt"
    src.write_text("12 deals were signed at the Lagos Fair.", encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(src), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code != 0
    assert "PRESSDEALS_OPS='cupy'" in result.output
    assert "Traceback" not in result.output


def backend_texts():
    from pressdeals.paths import CORPUS

    return sorted((CORPUS / "dev").glob("a_dev_*.txt"))[:8]


FAULTS = """
import resource, sys
import numpy
from pressdeals.backend import restore_malloc_thresholds
done = restore_malloc_thresholds() if sys.argv[1] == "restore" else None
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(300):
    numpy.ones(256 * 1024)  # 2 MiB, allocated, touched and freed
print(done, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(__import__("platform").libc_ver()[0] != "glibc", reason="glibc only")
def test_dask_trim_threshold_is_undone_in_the_worker():
    """Under Dask's `MALLOC_TRIM_THRESHOLD_=65536` every large buffer is mapped and faulted
    in anew; after `restore_malloc_thresholds` the allocator reuses them."""
    import os
    import subprocess
    import sys

    def faults(mode: str) -> tuple[str, int]:
        env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
        out = subprocess.run(
            [sys.executable, "-c", FAULTS, mode], env=env, capture_output=True, text=True
        )
        done, count = out.stdout.split()
        return done, int(count)

    assert faults("keep")[1] > 50_000  # 300 x 512 pages
    done, restored = faults("restore")
    assert done == "True" and restored < 5_000


def test_nothing_changes_without_a_trim_threshold(monkeypatch):
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    assert backend.restore_malloc_thresholds() is False
