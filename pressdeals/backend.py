"""The matrix backend for the pipeline's models, chosen by measuring it on this machine.

thinc multiplies matrices with blis by default. A blis wheel without a kernel for the CPU
falls back to generic reference code: on this project's machines (AMD family 25) that made
tagging about 1.4x slower than numpy's OpenBLAS on one thread, with identical outputs. So
`measured_choice()` times one matrix product of the tok2vec's shape with both and keeps the
faster. Set `PRESSDEALS_OPS=blis` or `=numpy` to skip the measurement.

Models take their ops when they are built, so the choice must be made before `spacy.load`
(`pressdeals.load` does this) or in a config's `[nlp.before_creation]` for training.
"""

from __future__ import annotations

import ctypes
import os
import platform
import time
from collections.abc import Callable
from functools import cache

import numpy
from spacy.util import registry
from thinc.api import NumpyOps, set_current_ops, use_ops

ENV = "PRESSDEALS_OPS"
CHOICES = ("blis", "numpy")
# tokens x (width * window pieces) by (width * window pieces) x (width * maxout pieces):
# the product that dominates en_core_web_sm's tok2vec and so the shipped pipeline
SHAPE = (2048, 288, 288)


class BackendError(ValueError):
    """An unknown value in PRESSDEALS_OPS."""


def _time_gemm(ops: NumpyOps, repeats: int = 5) -> float:
    rows, inner, cols = SHAPE
    rng = numpy.random.default_rng(0)
    x = rng.random((rows, inner), dtype="float32")
    w = rng.random((inner, cols), dtype="float32")
    ops.gemm(x, w)  # warm-up: first calls load kernels
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        ops.gemm(x, w)
        best = min(best, time.perf_counter() - start)
    return best


def one_blas_thread() -> Callable[[], None]:
    """Limit OpenBLAS to one thread unless the user set a thread count: tagging runs in
    parallel by processes, and a BLAS thread per core in each process only contends."""
    if any(os.environ.get(v) for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")):
        return lambda: None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return lambda: None
    limits = threadpool_limits(limits=1, user_api="blas")
    return limits.restore_original_limits


# glibc mallopt parameters, and the values its dynamic thresholds grow to on 64-bit machines
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD_MAX = 32 * 1024 * 1024


def restore_malloc_thresholds() -> bool:
    """Undo a fixed `MALLOC_TRIM_THRESHOLD_` in this process (True when done).

    Dask's nanny starts every worker with `MALLOC_TRIM_THRESHOLD_=65536`. Setting it also
    freezes glibc's mmap threshold at 128 KiB, so each activation buffer of the tok2vec is
    mapped and unmapped anew: 10x the page faults and about 30% more CPU per document than
    `pressdeals tag` (measured on a 1-worker LocalCluster). This sets both thresholds to what
    glibc's own dynamic rule reaches (32 MiB, trim at twice that); memory still goes back to
    the system above that."""
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        done = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX)
        done &= libc.mallopt(M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD_MAX)
    except (OSError, AttributeError):  # pragma: no cover - glibc without mallopt
        return False
    return bool(done)


@cache
def measured_choice() -> str:
    """'numpy' or 'blis', whichever multiplies the tok2vec's matrices faster here (once per
    process; PRESSDEALS_OPS overrides)."""
    forced = os.environ.get(ENV, "").strip().lower()
    if forced:
        if forced not in CHOICES:
            raise BackendError(f"{ENV}={forced!r}: use one of {', '.join(CHOICES)}")
        return forced
    restore = one_blas_thread()
    blis = _time_gemm(NumpyOps(use_blis=True))
    plain = _time_gemm(NumpyOps(use_blis=False))
    restore()
    # keep blis (thinc's default) unless numpy is clearly faster
    return "numpy" if plain < 0.9 * blis else "blis"


def fastest_ops():
    """A context in which models are built with the measured faster backend:
    `with fastest_ops(): nlp = spacy.load(...)`. Models keep the ops they were built with."""
    choice = measured_choice()
    if choice == "numpy":
        one_blas_thread()
    return use_ops("numpy", use_blis=choice == "blis")


@registry.callbacks("pressdeals.fastest_ops.v1")
def create_fastest_ops_callback() -> Callable[[type], type]:
    """`[nlp.before_creation]` callback: build the pipeline's models with the measured
    faster backend (in `spacy train`, and in `spacy.load` of a pipeline trained with it)."""

    def before_creation(lang_cls: type) -> type:
        choice = measured_choice()
        if choice == "numpy":
            one_blas_thread()
        set_current_ops(NumpyOps(use_blis=choice == "blis"))
        return lang_cls

    return before_creation
