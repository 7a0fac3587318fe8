"""The README is the operator's manual: a setting or command missing from it is a bug, and so is
a link in it (or in docs/) that leads nowhere, or a dependency docs/dependencies.md does not
explain."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import click

from saleor_proactive.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# Settings and operator commands are documented in docs/operations.md, linked from the README.
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()
MANUALS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


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
    missing = sorted(name for name in names if f"`{name}`" not in OPERATIONS)
    assert missing == []


def test_every_cli_command_is_documented() -> None:
    missing = [line for line in cli_command_lines(main) if f"`{line}" not in OPERATIONS]

    assert missing == []


def test_readme_shows_the_two_commands() -> None:
    assert "make demo" in README
    assert "make test" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, - for spaces."""
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def leads_nowhere(manual: Path, target: str) -> bool:
    """A relative link whose file is missing, or whose #anchor is no heading of that page."""
    path_part, _, anchor = target.partition("#")
    linked = (manual.parent / path_part).resolve() if path_part else manual
    if not linked.exists():
        return True
    return (
        bool(anchor)
        and linked.suffix == ".md"
        and anchor not in heading_anchors(linked.read_text())
    )


def requirement_name(requirement: str) -> str:
    """`psycopg[binary]>=3.1` -> `psycopg`."""
    return re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0].lower()


def test_every_link_between_the_manuals_leads_somewhere() -> None:
    # given every link in the README and in docs/ that stays inside the repository
    links = [
        (manual, target)
        for manual in MANUALS
        for target in LINK.findall(manual.read_text())
        if not re.match(r"[a-z]+:", target)  # https:, mailto:
    ]

    # then
    assert links, "expected the README to link to docs/"
    broken = [
        f"{manual.name}: {target}" for manual, target in links if leads_nowhere(manual, target)
    ]
    assert broken == []


def test_every_dependency_is_explained() -> None:
    # given every requirement of pyproject.toml, required and optional
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [r for extra in project["optional-dependencies"].values() for r in extra]
    names = {requirement_name(r) for r in project["dependencies"] + extras}
    # and the words in the first column of docs/dependencies.md's rows that say why
    explained: set[str] = set()
    for line in (ROOT / "docs" / "dependencies.md").read_text().splitlines():
        cells = line.split("|")
        if line.startswith("| ") and len(cells) > 3 and cells[2].strip():
            explained.update(re.findall(r"[a-z0-9_.-]+", cells[1].lower()))

    # then
    assert sorted(names - explained) == []
