"""The package says what the command line says: the same findings, the same
bytes in every format, the same comparisons and catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lacuna
from conftest import OPTIONS, PROPOSALS, ROOT, STATUS_QUO, run_cli

# Proposals beyond the six of the study: configured, suppressed, clean.
MORE = [
    "fixtures/check/clean.toml",
    "fixtures/check/warnings-only.toml",
    "fixtures/check/allow/suppressed.toml",
    "fixtures/check/allow/suppressed.json",
    "fixtures/check/allow/unused.toml",
    "fixtures/check/configured/regional/west-africa/proposal.toml",
]


@pytest.mark.parametrize("proposal", PROPOSALS + MORE)
def test_findings_equal_the_cli_json_findings(lacuna_bin: Path, proposal: str) -> None:
    run = run_cli(lacuna_bin, ["check", "--format", "json", proposal])
    assert run.returncode in (0, 1), run.stderr
    assert lacuna.check(proposal) == json.loads(run.stdout)["findings"]


@pytest.mark.parametrize("format", lacuna.FORMATS)
def test_every_format_has_the_cli_bytes(lacuna_bin: Path, format: str) -> None:
    for proposal in (STATUS_QUO, "fixtures/check/allow/suppressed.toml"):
        run = run_cli(lacuna_bin, ["check", "--format", format, proposal])
        assert lacuna.check(proposal, format=format) == run.stdout, (format, proposal)


def test_a_text_reads_as_standard_input_does(lacuna_bin: Path) -> None:
    text = (ROOT / STATUS_QUO).read_text()
    run = run_cli(
        lacuna_bin,
        ["check", "--format", "sarif", "--stdin-filename", "named.toml"],
        stdin=text,
    )
    assert lacuna.check(text, name="named.toml", format="sarif") == run.stdout


def test_problems_equal_the_cli_problems(lacuna_bin: Path) -> None:
    proposal = "fixtures/check/broken/unknown-field.toml"
    run = run_cli(lacuna_bin, ["check", "--format", "json", proposal])
    assert run.returncode == 2
    expected = json.loads(run.stdout)
    with pytest.raises(lacuna.ProposalError) as caught:
        lacuna.check(proposal)
    assert caught.value.diagnostics == expected["problems"]
    assert caught.value.findings == expected["findings"]


def test_rules_and_configuration_as_on_the_command_line(lacuna_bin: Path, tmp_path: Path) -> None:
    config = tmp_path / "lacuna.toml"
    config.write_text('ignore = ["proposal"]\n[severity]\n"protection" = "info"\n')
    args = ["--config", str(config), "--rules", str(tmp_path)]
    (tmp_path / "forum.norm").write_text(
        "norm local.forum-named {\n  severity: info\n  for f in forum\n"
        '  require f has name\n  else "`{f}` has no name"\n}\n'
    )
    for proposal in (STATUS_QUO, *OPTIONS):
        run = run_cli(lacuna_bin, ["check", "--format", "json", *args, proposal])
        assert run.returncode in (0, 1), run.stderr
        findings = lacuna.check(proposal, config=config, rules=tmp_path)
        assert findings == json.loads(run.stdout)["findings"]


def test_comparisons_equal_the_cli(lacuna_bin: Path) -> None:
    one = run_cli(lacuna_bin, ["compare", "--format", "json", STATUS_QUO, OPTIONS[0]])
    assert lacuna.compare(STATUS_QUO, OPTIONS[0]) == json.loads(one.stdout)
    many = run_cli(lacuna_bin, ["compare", "--format", "json", STATUS_QUO, *OPTIONS])
    assert lacuna.compare(STATUS_QUO, *OPTIONS) == json.loads(many.stdout)
    human = run_cli(lacuna_bin, ["compare", STATUS_QUO, *OPTIONS])
    assert lacuna.compare(STATUS_QUO, *OPTIONS, format="human") == human.stdout


def test_the_catalogue_equals_the_cli(lacuna_bin: Path) -> None:
    run = run_cli(lacuna_bin, ["norms", "--format", "json"])
    assert lacuna.norms() == json.loads(run.stdout)["norms"]
    explained = run_cli(lacuna_bin, ["explain", "protection.coverage"])
    assert lacuna.explain("protection.coverage")["text"] == explained.stdout
