"""lacuna from Python: check governance proposals against norms.

>>> import lacuna
>>> findings = lacuna.check("fixtures/proposals/status-quo-2010.toml")
>>> findings[0]["norm"]
'coordination.inter-rcp'

Every function returns plain data (lists, dicts, strings) shaped like the
JSON the ``lacuna`` command prints, and raises a :class:`LacunaError` when
it cannot do its work. The work itself runs in Rust without the GIL, so
checks in several threads run in parallel.

A proposal is given as a path or as its text:

* an ``os.PathLike`` (such as ``pathlib.Path``) is always a path;
* a ``str`` is a text when it has a line break or starts with ``{`` (after
  blanks), and a path otherwise.

A text is TOML, or JSON when it starts with ``{``; it is called ``<text>``
in findings unless ``name=`` names it, and a ``name`` ending in ``.toml`` or
``.json`` decides its format.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union, overload

from . import _lacuna
from ._errors import (
    ConfigError,
    LacunaError,
    LacunaWarning,
    ProposalError,
    ReadError,
    RulesError,
    UnknownNormError,
    UsageError,
    _warning,
)
from ._types import (
    Edit,
    Evidence,
    Explanation,
    Finding,
    Fix,
    Location,
    NormSummary,
    Problem,
    Severity,
    Subject,
)

__all__ = [
    "FORMATS",
    "ConfigError",
    "Edit",
    "Evidence",
    "Explanation",
    "Finding",
    "Fix",
    "LacunaError",
    "LacunaWarning",
    "Location",
    "NormSummary",
    "Problem",
    "ProposalError",
    "ReadError",
    "RulesError",
    "Severity",
    "Subject",
    "UnknownNormError",
    "UsageError",
    "check",
    "compare",
    "explain",
    "norms",
]

__version__: str = _lacuna.VERSION

#: The output formats of :func:`check`, as ``lacuna check --format`` names them.
FORMATS: Tuple[str, ...] = (
    "human",
    "plain",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "lsp",
)

StrPath = Union[str, "os.PathLike[str]"]
Rules = Union[StrPath, Iterable[StrPath], None]

# The frames between a caller and `warnings.warn`: the public function and
# `_emit`.
_STACKLEVEL = 3


def _is_text(value: str) -> bool:
    return "\n" in value or "\r" in value or value.lstrip().startswith("{")


def _proposal(value: Any, name: Optional[str], default_name: str) -> Tuple[Optional[str], Optional[str], str]:
    """``(path, text, name)`` for the native module."""
    if isinstance(value, os.PathLike):
        return os.fspath(value), None, ""
    if isinstance(value, str):
        if _is_text(value):
            return None, value, name if name is not None else default_name
        return value, None, ""
    raise TypeError(
        f"a proposal is a path (str or os.PathLike) or a text (str), not {type(value).__name__}"
    )


def _rules(rules: Rules) -> List[str]:
    if rules is None:
        return []
    if isinstance(rules, (str, os.PathLike)):
        return [os.fspath(rules)]
    return [os.fspath(path) for path in rules]


def _emit(found: List[Tuple[str, str, Optional[str], Optional[str], Optional[str]]]) -> None:
    for failure in found:
        warnings.warn(_warning(*failure), stacklevel=_STACKLEVEL)


@overload
def check(
    path_or_text: StrPath,
    *,
    format: None = None,
    rules: Rules = None,
    config: Optional[StrPath] = None,
    default_rules: bool = True,
    name: Optional[str] = None,
) -> List[Finding]: ...
@overload
def check(
    path_or_text: StrPath,
    *,
    format: str,
    rules: Rules = None,
    config: Optional[StrPath] = None,
    default_rules: bool = True,
    name: Optional[str] = None,
) -> str: ...
def check(
    path_or_text: StrPath,
    *,
    format: Optional[str] = None,
    rules: Rules = None,
    config: Optional[StrPath] = None,
    default_rules: bool = True,
    name: Optional[str] = None,
) -> Union[List[Finding], str]:
    """Checks one proposal, as ``lacuna check`` does.

    Returns the findings as dicts shaped like the ``findings`` of
    ``lacuna check --format json``; with ``format``, the text that
    ``lacuna check --format FORMAT`` prints instead (see :data:`FORMATS`).

    ``rules`` adds rule directories (every ``*.norm`` file in them) or
    single ``.norm`` files to the standard rules; ``default_rules=False``
    drops the standard ones. ``config`` is the ``lacuna.toml`` to apply;
    without it the nearest ``lacuna.toml`` in the proposal's directory or
    above applies (for a text, the directory of ``name``, or the current
    one), as on the command line.

    Raises :class:`ProposalError` when the proposal does not load, with its
    problems in ``diagnostics`` and what could be checked in ``findings``;
    :class:`ReadError`, :class:`RulesError`, :class:`ConfigError` and
    :class:`UsageError` for the other inputs. Problems that do not stop the
    check are issued as :class:`LacunaWarning`.
    """
    if format is not None and not isinstance(format, str):
        raise TypeError(f"format is a str or None, not {type(format).__name__}")
    path, text, shown = _proposal(path_or_text, name, "<text>")
    output, found = _lacuna.check(
        path=path,
        text=text,
        name=shown,
        format=format if format is not None else "json",
        rules=_rules(rules),
        no_default_rules=not default_rules,
        config=os.fspath(config) if config is not None else None,
    )
    if format is not None:
        _emit(found)
        return output
    document = json.loads(output)
    problems = document["problems"]
    if problems:
        found.append(("warning", _problem_summary(problems), None, None, json.dumps({"problems": problems})))
    _emit(found)
    findings: List[Finding] = document["findings"]
    return findings


def _problem_summary(problems: List[Any]) -> str:
    first = problems[0]
    more = len(problems) - 1
    tail = f" (and {more} more)" if more else ""
    return f"{first['location']['file']}: {first['message']}{tail}"


def compare(
    base: StrPath,
    *options: StrPath,
    format: Optional[str] = None,
    rules: Rules = None,
    default_rules: bool = True,
) -> Any:
    """Compares options with a base proposal, as ``lacuna compare`` does.

    With one option, returns the comparison of ``lacuna compare --format
    json BASE OPTION`` as a dict; with several, the matrix of the options,
    best first. ``format="json"`` or ``"human"`` returns the text instead.
    Texts are called ``<base>`` and ``<option 1>``, ``<option 2>``, ... in
    the output. Raises :class:`ProposalError` when a proposal does not load.
    """
    if not options:
        raise UsageError(
            "nothing to compare: give the base and at least one option",
            code="usage::compare",
        )
    proposals = [_proposal(base, None, "<base>")]
    proposals += [_proposal(option, None, f"<option {i}>") for i, option in enumerate(options, 1)]
    output, found = _lacuna.compare(
        proposals,
        format=format if format is not None else "json",
        rules=_rules(rules),
        no_default_rules=not default_rules,
    )
    _emit(found)
    if format is not None:
        return output
    result: Dict[str, Any] = json.loads(output)
    return result


def explain(norm: str, *, rules: Rules = None, default_rules: bool = True) -> Explanation:
    """Describes a norm, as ``lacuna explain NORM`` does.

    Returns its entry in :func:`norms` with its whole doc comment
    (``doc``), its definition as written (``definition``) and the text
    ``lacuna explain`` prints (``text``). Raises :class:`UnknownNormError`,
    whose ``help`` names the norm probably meant.
    """
    output, found = _lacuna.explain(norm, rules=_rules(rules), no_default_rules=not default_rules)
    _emit(found)
    explanation: Explanation = json.loads(output)
    return explanation


def norms(*, rules: Rules = None, default_rules: bool = True) -> List[NormSummary]:
    """The catalogue of norms, sorted by id: the ``norms`` of ``lacuna norms
    --format json``."""
    output, found = _lacuna.norms(rules=_rules(rules), no_default_rules=not default_rules)
    _emit(found)
    catalogue: List[NormSummary] = json.loads(output)["norms"]
    return catalogue
