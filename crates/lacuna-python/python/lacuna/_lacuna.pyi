"""The native half of the package: each function returns the text the
command line prints and the problems that did not stop the work, each as
``(kind, message, code, help, json_report)``."""

from typing import List, Optional, Sequence, Tuple

_Failure = Tuple[str, str, Optional[str], Optional[str], Optional[str]]

__all__ = ["check", "compare", "norms", "explain", "VERSION"]

VERSION: str

def check(
    *,
    path: Optional[str],
    text: Optional[str],
    name: str,
    format: str,
    rules: Sequence[str],
    no_default_rules: bool,
    config: Optional[str],
) -> Tuple[str, List[_Failure]]: ...
def compare(
    proposals: Sequence[Tuple[Optional[str], Optional[str], str]],
    *,
    format: str,
    rules: Sequence[str],
    no_default_rules: bool,
) -> Tuple[str, List[_Failure]]: ...
def norms(*, rules: Sequence[str], no_default_rules: bool) -> Tuple[str, List[_Failure]]: ...
def explain(
    id: str, *, rules: Sequence[str], no_default_rules: bool
) -> Tuple[str, List[_Failure]]: ...
