"""The exceptions and the warning of the package.

Every exception is a :class:`LacunaError`. Its ``diagnostics`` are the
problems of the input, as the ``problems`` of ``lacuna check --format json``
shape them; a failure that has no place in a file (an unknown norm, a file
that cannot be read) has none, and says what went wrong in ``message``,
``code`` and ``help``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, List, Optional


class LacunaError(Exception):
    """Something lacuna could not do."""

    message: str
    code: Optional[str]
    help: Optional[str]
    diagnostics: List[Any]
    findings: List[Any]

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        help: Optional[str] = None,
        diagnostics: Iterable[Any] = (),
        findings: Iterable[Any] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.help = help
        self.diagnostics = list(diagnostics)
        self.findings = list(findings)

    def __str__(self) -> str:
        if self.help:
            return f"{self.message}\nhelp: {self.help}"
        return self.message


class ProposalError(LacunaError):
    """A proposal does not load: it is not valid TOML, JSON or UTF-8, names
    an unknown field or entity, or has an ``[[allow]]`` entry without a
    reason. ``findings`` holds what could be checked of it."""


class RulesError(LacunaError):
    """A rule file does not parse or type-check, or a rule path cannot be
    read."""


class ConfigError(LacunaError):
    """A ``lacuna.toml`` cannot be read or is invalid, or selects norms that
    do not exist."""


class ReadError(LacunaError, OSError):
    """A proposal cannot be read."""


class UnknownNormError(LacunaError, LookupError):
    """A norm id that names no norm of the rule set; ``help`` says which
    norm was probably meant."""


class UsageError(LacunaError, ValueError):
    """An argument that makes no sense, such as an unknown output format."""


class LacunaWarning(UserWarning):
    """Problems that did not stop the work: a selector of the configuration
    that matches no norm, a warning about a rule file or a proposal."""

    message: str
    diagnostics: List[Any]

    def __init__(self, message: str, diagnostics: Iterable[Any] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)


_KINDS = {
    "proposal": ProposalError,
    "rules": RulesError,
    "config": ConfigError,
    "read": ReadError,
    "unknown-norm": UnknownNormError,
    "usage": UsageError,
}


def _report(report: Optional[str]) -> Any:
    return json.loads(report) if report else {}


def _error(
    kind: str,
    message: str,
    code: Optional[str],
    help: Optional[str],
    report: Optional[str],
) -> LacunaError:
    """The exception the native module raises for a failure of `kind`."""
    document = _report(report)
    cls = _KINDS.get(kind, LacunaError)
    return cls(
        message,
        code=code,
        help=help,
        diagnostics=document.get("problems", []),
        findings=document.get("findings", []),
    )


def _warning(
    kind: str,
    message: str,
    code: Optional[str],
    help: Optional[str],
    report: Optional[str],
) -> LacunaWarning:
    """The warning for problems that did not stop the work."""
    del kind, code, help
    return LacunaWarning(message, _report(report).get("problems", []))
