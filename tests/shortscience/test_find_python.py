"""scripts/find-python: the setup picks an interpreter that runs, or says why there is none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "find-python"


@pytest.fixture
def bin_dir(tmp_path):
    """A PATH holding only the tools the script uses, plus whatever a test adds."""
    directory = tmp_path / "bin"
    directory.mkdir()
    for tool in ("sh", "ls", "sort"):
        (directory / tool).symlink_to(subprocess.check_output(["which", tool], text=True).strip())
    return directory


def add_failing_shim(directory: Path, name: str) -> None:
    """Like a pyenv shim for a version no .python-version names: it exists but fails."""
    shim = directory / name
    shim.write_text('#!/bin/sh\necho "pyenv: $0: command not found" >&2\nexit 127\n')
    shim.chmod(0o755)


def run(bin_dir: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT)],
        env={"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/")} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_python_variable_wins_when_it_runs(bin_dir):
    result = run(bin_dir, PYTHON=sys.executable)

    assert (result.returncode, result.stdout.strip()) == (0, sys.executable)


def test_python_variable_that_does_not_run_is_reported(bin_dir):
    result = run(bin_dir, PYTHON="/nonexistent/python3.13")

    assert result.returncode == 1
    assert "PYTHON=/nonexistent/python3.13 does not run" in result.stderr


def test_a_failing_shim_is_skipped_for_one_that_runs(bin_dir):
    add_failing_shim(bin_dir, "python3.13")
    (bin_dir / "python3.12").symlink_to(sys.executable)

    result = run(bin_dir)

    assert (result.returncode, result.stdout.strip()) == (0, str(bin_dir / "python3.12"))


def test_no_usable_python_is_said_clearly(bin_dir):
    add_failing_shim(bin_dir, "python3.13")
    add_failing_shim(bin_dir, "python3")

    result = run(bin_dir)

    assert result.returncode == 1
    assert "no Python 3.12 or newer found" in result.stderr
