"""`lacuna.compare`, `lacuna.explain` and `lacuna.norms`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Union

import pytest

import lacuna
from conftest import OPTIONS, ROOT, STATUS_QUO

CLUSTER = "fixtures/proposals/option-cluster.toml"


def test_one_option_gives_the_comparison() -> None:
    comparison = lacuna.compare(STATUS_QUO, CLUSTER)
    assert comparison["version"] == 2
    assert comparison["before"]["file"] == STATUS_QUO
    assert comparison["after"]["file"] == CLUSTER
    assert comparison["total"]["verdict"] == "better"
    closed = [f for f in comparison["findings"] if f["change"] == "closed"]
    assert any(f["norm"] == "protection.coverage" for f in closed)
    rights = [v for v in comparison["values"] if v["name"] == "rights"]
    assert rights and rights[0]["verdict"] == "better"


def test_several_options_give_the_matrix_best_first() -> None:
    matrix = lacuna.compare(Path(STATUS_QUO), *map(Path, OPTIONS))
    assert matrix["base"]["file"] == STATUS_QUO
    ranks = [o["rank"] for o in matrix["options"]]
    assert ranks == list(range(1, len(OPTIONS) + 1))
    assert sorted(o["file"] for o in matrix["options"]) == sorted(OPTIONS)


def test_texts_are_named_by_their_place() -> None:
    base = (ROOT / STATUS_QUO).read_text()
    option = (ROOT / CLUSTER).read_text()
    comparison = lacuna.compare(base, option)
    assert comparison["before"]["file"] == "<base>"
    assert comparison["after"]["file"] == "<option 1>"
    by_path = lacuna.compare(STATUS_QUO, CLUSTER)
    assert comparison["total"] == by_path["total"]


def test_a_comparison_as_text() -> None:
    text = lacuna.compare(STATUS_QUO, CLUSTER, format="human")
    assert isinstance(text, str) and CLUSTER in text
    with pytest.raises(lacuna.UsageError) as caught:
        lacuna.compare(STATUS_QUO, CLUSTER, format="sarif")
    assert caught.value.code == "usage::format"


def test_a_comparison_needs_an_option() -> None:
    with pytest.raises(lacuna.UsageError, match="nothing to compare"):
        lacuna.compare(STATUS_QUO)


def test_a_broken_option_is_not_compared() -> None:
    with pytest.raises(lacuna.ProposalError) as caught:
        lacuna.compare(STATUS_QUO, "fixtures/check/broken/unknown-field.toml")
    assert [d["code"] for d in caught.value.diagnostics] == ["proposal::unknown_field"]


def test_the_catalogue_lists_every_norm_by_id() -> None:
    catalogue = lacuna.norms()
    ids = [n["id"] for n in catalogue]
    assert ids == sorted(ids)
    expected = sorted(p.name for p in (ROOT / "fixtures" / "norms").iterdir())
    assert ids == expected
    coverage = catalogue[ids.index("protection.coverage")]
    assert coverage["severity"] == "error"
    assert coverage["file"] == "<standard>/protection.norm"


def test_a_norm_explained() -> None:
    explained = lacuna.explain("protection.coverage")
    listed = [n for n in lacuna.norms() if n["id"] == "protection.coverage"]
    assert {k: explained[k] for k in listed[0]} == listed[0]  # type: ignore[literal-required]
    assert explained["doc"] and explained["doc"].startswith(explained["summary"] or "")
    assert explained["definition"] and explained["definition"].startswith("norm protection.coverage {")
    assert explained["text"].startswith("protection.coverage: ")


def test_an_unknown_norm_says_which_was_meant() -> None:
    with pytest.raises(lacuna.UnknownNormError) as caught:
        lacuna.explain("protection.coverag")
    error = caught.value
    assert error.code == "usage::unknown_norm"
    assert error.help == "did you mean `protection.coverage`?"
    assert str(error) == "unknown norm `protection.coverag`\nhelp: did you mean `protection.coverage`?"
    assert isinstance(error, LookupError)
    with pytest.raises(lacuna.UnknownNormError) as area:
        lacuna.explain("forum")
    assert area.value.help is not None and "`forum` is an area" in area.value.help


def test_the_catalogue_of_other_rules(tmp_path: Path) -> None:
    (tmp_path / "local.norm").write_text(
        '/// Every forum is permanent.\nnorm local.permanent {\n  severity: info\n'
        '  for f in forum\n  require f.permanent\n  else "`{f}` is not permanent"\n}\n'
    )
    rules: List[Union[str, Path]] = ["rules/schema.norm", tmp_path]
    [only] = lacuna.norms(rules=rules, default_rules=False)
    assert only["id"] == "local.permanent"
    assert only["summary"] == "Every forum is permanent."
    assert lacuna.explain("local.permanent", rules=rules, default_rules=False)["severity"] == "info"
    with pytest.raises(lacuna.RulesError):
        lacuna.norms(rules="fixtures/check/broken-rules")
