"""Shared fixtures: the repository's proposals and the `lacuna` binary.

Every test runs from the repository's root, so that paths in findings read
as they do on the command line (`fixtures/proposals/...`).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Iterator, List

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROPOSALS = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "fixtures" / "proposals").glob("*.toml")
)
STATUS_QUO = "fixtures/proposals/status-quo-2010.toml"
OPTIONS = [p for p in PROPOSALS if p != STATUS_QUO]


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(ROOT)
    # Suppressions expire by the calendar; a fixed date keeps runs alike.
    monkeypatch.setenv("LACUNA_TODAY", "2026-01-01")
    yield


def _binary() -> Path:
    given = os.environ.get("LACUNA_BIN")
    return Path(given) if given else ROOT / "target" / "debug" / "lacuna"


@pytest.fixture(scope="session")
def lacuna_bin() -> Path:
    """The `lacuna` binary to compare with. CI builds it before the Python
    tests; elsewhere a missing binary skips the comparisons rather than
    failing them, with the command that builds it."""
    binary = _binary()
    if not binary.is_file():
        message = f"no lacuna binary at {binary}: run `cargo build` or set LACUNA_BIN"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


def run_cli(binary: Path, args: List[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    env["LACUNA_TODAY"] = "2026-01-01"
    return subprocess.run(
        [str(binary), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
