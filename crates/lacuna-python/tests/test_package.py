"""The package as installed: its stubs match the native module, its typing
marker ships, its exceptions form one hierarchy."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import lacuna
from lacuna import _lacuna

PACKAGE = Path(lacuna.__file__).parent


def _stub_signatures() -> Dict[str, List[Tuple[str, str]]]:
    """Each function of `_lacuna.pyi`: its parameters and their kinds."""
    tree = ast.parse((PACKAGE / "_lacuna.pyi").read_text())
    signatures = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            args = node.args
            params = [(a.arg, "POSITIONAL_OR_KEYWORD") for a in args.args]
            params += [(a.arg, "KEYWORD_ONLY") for a in args.kwonlyargs]
            signatures[node.name] = params
    return signatures


def test_the_stubs_describe_the_native_functions() -> None:
    stubs = _stub_signatures()
    native = {
        name: [(p.name, p.kind.name) for p in inspect.signature(obj).parameters.values()]
        for name, obj in vars(_lacuna).items()
        if callable(obj) and not name.startswith("_")
    }
    assert stubs == native
    assert isinstance(_lacuna.VERSION, str)


def test_the_typing_marker_and_stubs_ship() -> None:
    assert (PACKAGE / "py.typed").is_file()
    assert (PACKAGE / "_lacuna.pyi").is_file()


def test_the_version_is_the_crate_version() -> None:
    cargo = (Path(__file__).resolve().parents[3] / "Cargo.toml").read_text()
    assert f'version = "{lacuna.__version__}"' in cargo


@pytest.mark.parametrize(
    "error",
    [
        lacuna.ProposalError,
        lacuna.RulesError,
        lacuna.ConfigError,
        lacuna.ReadError,
        lacuna.UnknownNormError,
        lacuna.UsageError,
    ],
)
def test_every_error_is_a_lacuna_error(error: type) -> None:
    assert issubclass(error, lacuna.LacunaError)
    raised = error("what went wrong", code="x::y", help="how to fix it", diagnostics=[{"a": 1}])
    assert raised.message == "what went wrong"
    assert str(raised) == "what went wrong\nhelp: how to fix it"
    assert raised.diagnostics == [{"a": 1}]
    assert raised.findings == []


def test_everything_exported_exists() -> None:
    for name in lacuna.__all__:
        assert hasattr(lacuna, name), name
