"""The README is the operator's manual: a setting or command missing from it is a bug."""

from __future__ import annotations

import re
from pathlib import Path

import click

from saleor_proactive.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def environment_variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "saleor_proactive").rglob("*.py"):
        names.update(re.findall(r"\"(PROACTIVE_[A-Z_]+)\"", path.read_text()))
    return names


def cli_command_lines(group: click.Group, prefix: str = "saleor-proactive") -> list[str]:
    lines = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            lines.extend(cli_command_lines(command, f"{prefix} {name}"))
        else:
            lines.append(f"{prefix} {name}")
    return lines


def test_every_environment_variable_is_documented() -> None:
    # given
    names = environment_variables_read_by_the_code()

    # then
    assert names, "expected the code to read PROACTIVE_* variables"
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert missing == []


def test_every_cli_command_is_documented() -> None:
    missing = [line for line in cli_command_lines(main) if f"`{line}" not in README]

    assert missing == []


def test_readme_shows_the_two_commands() -> None:
    assert "make demo" in README
    assert "make test" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
