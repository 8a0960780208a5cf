"""The shapes of the dicts the package returns, for type checkers.

They follow the ``json`` output of ``lacuna check`` field by field;
``docs/output.md`` says what each field means. At run time they are plain
dicts: nothing here checks them.
"""

from __future__ import annotations

from typing import List, Literal, Optional, TypedDict

Severity = Literal["error", "warning", "info"]


class Span(TypedDict):
    start: int
    end: int


class Position(TypedDict):
    line: int
    column: int


class Location(TypedDict):
    file: str
    span: Span
    start: Position
    end: Position


class Edit(TypedDict):
    content: str
    location: Location


class Fix(TypedDict):
    title: str
    applicability: Literal["safe", "unsafe", "display-only"]
    edits: List[Edit]


class Evidence(TypedDict):
    message: str
    expr_message: Optional[str]
    location: Location


class Subject(TypedDict):
    kind: str
    name: str
    path: str


class _Finding(TypedDict):
    kind: Literal["finding"]
    norm: str
    severity: Severity
    message: str
    help: Optional[str]
    subject: Optional[Subject]
    location: Location
    label: str
    evidence: List[Evidence]
    serves: List[str]
    perspective: List[str]
    source: Optional[str]
    tags: List[str]


class Finding(_Finding, total=False):
    """A gap a norm found: one entry of ``findings``."""

    fixes: List[Fix]


class _Problem(TypedDict):
    kind: Literal["problem"]
    code: str
    severity: Severity
    message: str
    help: Optional[str]
    location: Location
    label: str
    related: List[Evidence]


class Problem(_Problem, total=False):
    """A mistake in an input: one entry of ``problems``."""

    fixes: List[Fix]


class NormSummary(TypedDict):
    """One norm of the catalogue, as ``lacuna norms --format json`` lists it."""

    id: str
    severity: Severity
    serves: List[str]
    perspective: List[str]
    source: Optional[str]
    tags: List[str]
    summary: Optional[str]
    file: str
    line: int
    column: int


class Explanation(NormSummary):
    """A norm explained: its catalogue entry, whole doc comment, definition
    and the text ``lacuna explain`` prints."""

    doc: Optional[str]
    definition: Optional[str]
    text: str
