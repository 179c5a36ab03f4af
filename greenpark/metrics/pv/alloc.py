"""The C allocator's settings while the PV model runs (glibc only; elsewhere nothing).

The model makes some 100 temporary arrays per block of classes (about 1 MB each: 4,400
daylight hours x 32 classes of float64) and frees them at once. With glibc's defaults
the freed memory at the top of the heap goes back to the system on every block and is
faulted in again on the next one: measured, page faults took 3/4 of the IAM's time and
a quarter of an estimate's CPU. :func:`keep_freed_memory` lets the allocator keep it for
the duration of a run and puts glibc's documented defaults back afterwards (the peak
resident memory is what the run's arrays need either way; measured +25-40 MB for 1,000
roofs).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys

# mallopt(3) parameters and glibc's documented defaults [bytes]
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
DEFAULT_THRESHOLD_BYTES = 128 * 1024
# while the model runs: blocks up to 64 MB come from the heap, which is trimmed only
# when 1 GB at its top is free
RUN_MMAP_THRESHOLD_BYTES = 64 * 1024 * 1024
RUN_TRIM_THRESHOLD_BYTES = 1024 * 1024 * 1024


def _mallopt():
    """glibc's ``mallopt``, or None (another C library or platform)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 - glibc, not musl
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt


@contextlib.contextmanager
def keep_freed_memory():
    """Within the block, freed memory stays with the process (see the module)."""
    mallopt = _mallopt()
    if mallopt is None:
        yield
        return
    mallopt(M_MMAP_THRESHOLD, RUN_MMAP_THRESHOLD_BYTES)
    mallopt(M_TRIM_THRESHOLD, RUN_TRIM_THRESHOLD_BYTES)
    try:
        yield
    finally:
        mallopt(M_TRIM_THRESHOLD, DEFAULT_THRESHOLD_BYTES)
        mallopt(M_MMAP_THRESHOLD, DEFAULT_THRESHOLD_BYTES)
