"""Checks release the GIL: they run side by side in threads, and Python code
runs while they do."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List

import lacuna
from conftest import PROPOSALS, ROOT, STATUS_QUO


def test_checks_in_threads_give_the_sequential_results() -> None:
    sequential = [lacuna.check(p) for p in PROPOSALS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lacuna.check, PROPOSALS * 2))
    assert threaded == sequential * 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(lambda p: lacuna.check(p, format="sarif"), PROPOSALS))
    assert texts == [lacuna.check(p, format="sarif") for p in PROPOSALS]


def _large_proposal(groups: int) -> str:
    """The status quo with `groups` more vulnerable groups, each with a
    mandate that does not protect it: a check finds a gap in each."""
    extra = "".join(
        f'\n[group.g{i}]\narea = "survival"\nvulnerable = true\n'
        f'drivers = ["state_fragility"]\nname = "g{i}"\n'
        f'\n[[mandate]]\nactor = "OHCHR"\ngroup = "g{i}"\nfunction = "assistance"\n'
        for i in range(groups)
    )
    return (ROOT / STATUS_QUO).read_text() + extra


def _ticks_during_a_check(text: str) -> int:
    """How often the main thread ran Python code in the middle 80% of a check
    made in another thread. Holding the GIL, the check would allow none."""
    window: List[float] = []

    def work() -> None:
        start = time.perf_counter()
        lacuna.check(text, format="concise")
        window.extend([start, time.perf_counter()])

    worker = threading.Thread(target=work)
    ticks: List[float] = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    start, end = window
    margin = (end - start) / 10
    return sum(1 for t in ticks if start + margin < t < end - margin)


def test_python_runs_while_a_check_runs() -> None:
    # A proposal large enough that a check takes a while on this machine.
    groups = 500
    while True:
        text = _large_proposal(groups)
        start = time.perf_counter()
        lacuna.check(text, format="concise")
        if time.perf_counter() - start > 0.1 or groups >= 64_000:
            break
        groups *= 2
    # A busy machine may keep the main thread off the CPU for a moment;
    # one of three tries is enough to show the GIL was free.
    counts = [_ticks_during_a_check(text) for _ in range(3)]
    assert max(counts) > 10, counts
