"""The CLI process set-up of :func:`greenpark.cli.app.main` (not the commands)."""

import os
import subprocess
import sys

from greenpark.cli.app import single_threaded_blas

# A process that runs main() (``greenpark --version``) and prints, as it exits, the
# OpenBLAS thread setting it ran with.
SHOW_BLAS = (
    "import atexit, os, sys\n"
    "atexit.register(lambda: print('blas', os.environ.get('OPENBLAS_NUM_THREADS')))\n"
    "sys.argv = ['greenpark', '--version']\n"
    "from greenpark.cli.app import main\n"
    "main()\n"
)


def test_single_threaded_blas_sets_one_thread_unless_the_user_chose():
    environ = {"PATH": "/bin"}
    assert single_threaded_blas(environ) == {"OPENBLAS_NUM_THREADS": "1"}
    assert environ == {"PATH": "/bin", "OPENBLAS_NUM_THREADS": "1"}
    chosen = {"OPENBLAS_NUM_THREADS": "4"}
    assert single_threaded_blas(chosen) == {}
    assert chosen == {"OPENBLAS_NUM_THREADS": "4"}


def _run(env_extra: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env.update(env_extra)
    done = subprocess.run(
        [sys.executable, "-c", SHOW_BLAS], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_main_runs_the_process_with_one_blas_thread():
    out = _run({})
    assert "greenpark, version" in out
    assert out.strip().endswith("blas 1")


def test_main_keeps_the_users_blas_threads():
    assert _run({"OPENBLAS_NUM_THREADS": "3"}).strip().endswith("blas 3")
