"""The session in docs/python.md runs and prints what the page shows.

pandas is not a dependency: without it, the examples that use it (those
that import it, and those that use a name such an example bound) are left
out and the rest still run.
"""

from __future__ import annotations

import ast
import doctest
import importlib.util
from typing import List, Set

from conftest import ROOT

PAGE = ROOT / "docs" / "python.md"


def _names(source: str) -> "tuple[Set[str], Set[str], bool]":
    """The names an example reads and binds, and whether it imports pandas."""
    tree = ast.parse(source)
    reads: Set[str] = set()
    binds: Set[str] = set()
    imports_pandas = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(m.split(".")[0] == "pandas" for m in modules):
                imports_pandas = True
                binds.update((a.asname or a.name).split(".")[0] for a in node.names)
    return reads, binds, imports_pandas


def _without_pandas(examples: List[doctest.Example]) -> List[doctest.Example]:
    kept = []
    tainted: Set[str] = set()
    for example in examples:
        reads, binds, imports_pandas = _names(example.source)
        if imports_pandas or reads & tainted:
            tainted |= binds
        else:
            kept.append(example)
    return kept


def _run(examples: List[doctest.Example]) -> doctest.TestResults:
    test = doctest.DocTest(examples, {}, "docs/python.md", str(PAGE), 0, None)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    return runner.summarize(verbose=False)


def test_the_python_page_runs() -> None:
    examples = doctest.DocTestParser().get_examples(PAGE.read_text(), str(PAGE))
    assert len(examples) > 20
    plain = _without_pandas(examples)
    assert 0 < len(plain) < len(examples), "the page has examples with and without pandas"
    if importlib.util.find_spec("pandas") is None:
        examples = plain
    results = _run(examples)
    assert results.failed == 0
    assert results.attempted == len(examples)


def test_the_package_docstring_runs() -> None:
    import lacuna

    results = doctest.testmod(lacuna, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0
    assert results.failed == 0
