"""`lacuna.check`: proposals as paths and texts, formats, rules and
configuration."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import List, Union

import pytest

import lacuna
from conftest import PROPOSALS, ROOT, STATUS_QUO

CLEAN = "fixtures/check/clean.toml"
CONFIGURED = "fixtures/check/configured/regional/west-africa/proposal.toml"

# A rule file of the tests' own: every forum has a name.
FORUM_NAMED = """\
/// A forum has a name.
norm local.forum-named {
  severity: info
  serves: [rights]

  for f in forum
  require f has name
  else "`{f}` has no name"
}
"""


@pytest.mark.parametrize("proposal", PROPOSALS)
def test_every_proposal_has_findings_in_the_json_shape(proposal: str) -> None:
    findings = lacuna.check(proposal)
    assert findings, proposal
    for finding in findings:
        assert finding["kind"] == "finding"
        assert finding["location"]["file"] == proposal
        assert isinstance(finding["serves"], list)
        assert finding["severity"] in ("error", "warning", "info")
    # The order is the report's: by position, then norm.
    keys = [(f["location"]["span"]["start"], f["norm"]) for f in findings]
    assert keys == sorted(keys)


def test_the_status_quo_lacks_protection_for_survival_migrants() -> None:
    findings = lacuna.check(STATUS_QUO)
    coverage = [f for f in findings if f["norm"] == "protection.coverage"]
    subjects = [f["subject"] for f in coverage]
    assert [s["path"] for s in subjects if s is not None] == ["group.survival_migrants"]
    assert coverage[0]["severity"] == "error"
    assert "rights" in coverage[0]["serves"]


def test_a_clean_proposal_has_no_findings() -> None:
    assert lacuna.check(CLEAN) == []


def test_a_path_object_and_a_string_path_agree() -> None:
    assert lacuna.check(Path(STATUS_QUO)) == lacuna.check(STATUS_QUO)


def test_a_text_is_checked_under_its_name() -> None:
    text = (ROOT / STATUS_QUO).read_text()
    from_text = lacuna.check(text, name=STATUS_QUO)
    assert from_text == lacuna.check(STATUS_QUO)
    unnamed = lacuna.check(text)
    assert {f["location"]["file"] for f in unnamed} == {"<text>"}
    assert [f["norm"] for f in unnamed] == [f["norm"] for f in from_text]


def test_a_json_text_is_told_by_its_brace() -> None:
    text = json.dumps({"proposal": {"title": "An empty proposal"}})
    assert "\n" not in text
    findings = lacuna.check(text)
    assert {f["norm"] for f in findings} >= {"proposal.priorities", "forum.exists"}
    # The same text named as TOML does not parse.
    with pytest.raises(lacuna.ProposalError) as caught:
        lacuna.check(text + "\n", name="empty.toml")
    assert caught.value.diagnostics[0]["code"] == "proposal::syntax"


def test_a_one_line_string_is_a_path() -> None:
    with pytest.raises(lacuna.UsageError, match="cannot tell the format of `\\[proposal\\]`"):
        lacuna.check("[proposal]")
    with pytest.raises(lacuna.ReadError) as caught:
        lacuna.check("fixtures/proposals/absent.toml")
    assert str(caught.value).startswith("cannot read `fixtures/proposals/absent.toml`: ")
    assert isinstance(caught.value, OSError)


def test_the_size_limit_is_the_command_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LACUNA_MAX_FILE_SIZE", "1K")
    with pytest.raises(lacuna.ReadError, match="larger than 1 KiB, the largest file lacuna reads"):
        lacuna.check(STATUS_QUO)
    monkeypatch.setenv("LACUNA_MAX_FILE_SIZE", "lots")
    with pytest.raises(lacuna.ReadError, match="`LACUNA_MAX_FILE_SIZE=lots` is not a size"):
        lacuna.check(STATUS_QUO)
    monkeypatch.delenv("LACUNA_MAX_FILE_SIZE")
    assert lacuna.check(STATUS_QUO)


@pytest.mark.parametrize("format", lacuna.FORMATS)
def test_every_format_is_a_string(format: str) -> None:
    out = lacuna.check(STATUS_QUO, format=format)
    assert isinstance(out, str)
    assert "protection.coverage" in out
    assert "\x1b[" not in out, "no colour outside a terminal"


def test_json_format_is_the_document_the_findings_come_from() -> None:
    document = json.loads(lacuna.check(STATUS_QUO, format="json"))
    assert document["version"] == 1
    assert document["findings"] == lacuna.check(STATUS_QUO)
    assert document["summary"]["files_checked"] == 1
    assert document["summary"]["total"] == len(document["findings"])


def test_an_unknown_format_suggests_the_closest() -> None:
    with pytest.raises(lacuna.UsageError) as caught:
        lacuna.check(STATUS_QUO, format="jsonl")
    assert caught.value.code == "usage::format"
    assert caught.value.help == "did you mean `json`?"
    assert isinstance(caught.value, ValueError)


def test_a_rule_file_and_a_rule_directory_add_norms(tmp_path: Path) -> None:
    rule = tmp_path / "forum.norm"
    rule.write_text(FORUM_NAMED)
    text = '[proposal]\ntitle = "A forum"\n\n[forum.unnamed]\nlevel = "regional"\n'
    by_file = lacuna.check(text, rules=rule, name="p.toml")
    by_dir = lacuna.check(text, rules=[tmp_path], name="p.toml")
    assert by_file == by_dir
    named = [f for f in by_file if f["norm"] == "local.forum-named"]
    assert [f["message"] for f in named] == ["`unnamed` has no name"]
    assert named[0]["serves"] == ["rights"]
    # Without the standard rules, the schema and the file's norm are left.
    alone: List[Union[str, Path]] = ["rules/schema.norm", rule]
    assert {f["norm"] for f in lacuna.check(text, rules=alone, default_rules=False)} == {
        "local.forum-named"
    }
    assert lacuna.check(CLEAN, rules=alone, default_rules=False) == []


def test_broken_rules_raise_with_their_diagnostics() -> None:
    with pytest.raises(lacuna.RulesError) as caught:
        lacuna.check(CLEAN, rules="fixtures/check/broken-rules")
    diagnostics = caught.value.diagnostics
    assert diagnostics, "the syntax error is a diagnostic"
    assert diagnostics[0]["location"]["file"].endswith("protection-extra.norm")
    assert diagnostics[0]["severity"] == "error"
    with pytest.raises(lacuna.RulesError, match="cannot read the rule directory"):
        lacuna.check(CLEAN, rules="fixtures/check/absent-rules")


def test_the_nearest_configuration_applies() -> None:
    configured = lacuna.check(CONFIGURED)
    # `ignore = ["proposal"]` and `forum = "info"` in the directory above.
    assert not [f for f in configured if f["norm"].startswith("proposal.")]
    forums = [f for f in configured if f["norm"].startswith("forum.")]
    assert forums and all(f["severity"] == "info" for f in forums)
    # The same text elsewhere is checked with the defaults.
    text = (ROOT / CONFIGURED).read_text()
    unconfigured = lacuna.check(text, name="elsewhere.toml")
    assert [f for f in unconfigured if f["norm"].startswith("proposal.")]


def test_an_explicit_configuration_wins(tmp_path: Path) -> None:
    config = tmp_path / "lacuna.toml"
    config.write_text('select = ["forum"]\n[severity]\n"forum.exists" = "error"\n')
    findings = lacuna.check(STATUS_QUO, config=config)
    assert findings and {f["norm"].split(".")[0] for f in findings} == {"forum"}
    assert [f["severity"] for f in findings if f["norm"] == "forum.exists"] == ["error"]
    assert lacuna.check(STATUS_QUO, config=config, format="concise").count("error[forum.exists]") == 1


def test_a_broken_configuration_raises_with_its_diagnostics() -> None:
    with pytest.raises(lacuna.ConfigError) as caught:
        lacuna.check(CLEAN, config="fixtures/config/unknown-key.toml")
    error = caught.value
    assert error.message.startswith("invalid configuration file `fixtures/config/unknown-key.toml`")
    assert error.diagnostics
    assert {d["location"]["file"] for d in error.diagnostics} == {"fixtures/config/unknown-key.toml"}
    with pytest.raises(lacuna.ConfigError) as missing:
        lacuna.check(CLEAN, config="fixtures/config/absent.toml")
    assert missing.value.code == "config::io"


def test_a_selector_that_names_no_norm_is_a_warning(tmp_path: Path) -> None:
    config = tmp_path / "lacuna.toml"
    config.write_text('ignore = ["protection.coverag"]\n')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        findings = lacuna.check(STATUS_QUO, config=config)
    assert findings
    assert len(caught) == 1
    warning = caught[0]
    assert issubclass(warning.category, lacuna.LacunaWarning)
    assert warning.filename == __file__, "the warning points at the caller"
    assert isinstance(warning.message, lacuna.LacunaWarning)
    assert warning.message.diagnostics[0]["location"]["file"].endswith("lacuna.toml")


def test_suppressions_apply() -> None:
    findings = lacuna.check("fixtures/check/allow/suppressed.toml")
    document = json.loads(lacuna.check("fixtures/check/allow/suppressed.toml", format="json"))
    assert document["summary"]["suppressed"] > 0
    assert document["findings"] == findings


def test_a_proposal_that_does_not_load_raises_with_what_was_checked() -> None:
    with pytest.raises(lacuna.ProposalError) as caught:
        lacuna.check("fixtures/check/broken/unknown-field.toml")
    error = caught.value
    assert error.message.startswith("`fixtures/check/broken/unknown-field.toml` does not load: ")
    [diagnostic] = error.diagnostics
    assert diagnostic["kind"] == "problem"
    assert diagnostic["code"] == "proposal::unknown_field"
    assert diagnostic["help"] == "did you mean `vulnerable`?"
    assert diagnostic["location"]["start"]["line"] > 1
    assert error.findings, "the rest of the proposal was checked"
    assert isinstance(error, lacuna.LacunaError)


@pytest.mark.parametrize(
    ("proposal", "code"),
    [
        ("fixtures/check/broken/not-utf8.toml", "lacuna::invalid_utf8"),
        ("fixtures/check/broken/syntax-error.toml", "proposal::syntax"),
        ("fixtures/check/allow/no-reason.toml", None),
    ],
)
def test_broken_proposals_raise(proposal: str, code: str) -> None:
    with pytest.raises(lacuna.ProposalError) as caught:
        lacuna.check(proposal)
    codes = [d["code"] for d in caught.value.diagnostics]
    assert codes
    if code is not None:
        assert code in codes


def test_a_proposal_that_is_neither_toml_nor_json_is_refused() -> None:
    with pytest.raises(lacuna.UsageError, match="cannot tell the format of `README.md`"):
        lacuna.check("README.md")


def test_arguments_of_the_wrong_type_are_type_errors() -> None:
    with pytest.raises(TypeError):
        lacuna.check(42)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        lacuna.check(STATUS_QUO, format=1)  # type: ignore[call-overload]
