"""A plain `pip install .` must carry everything a checkout serves."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ASSET_FOLDERS = ("manifest", "webhooks", "storefront_snippet")


def declared_packages() -> set[str]:
    return set(PYPROJECT["tool"]["setuptools"]["packages"])


def test_every_python_package_in_the_tree_is_declared() -> None:
    # given
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "saleor_proactive").rglob("*.py")
        if "__pycache__" not in path.parts
    }

    # then
    assert on_disk - declared_packages() == set()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("saleor_proactive-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_carries_the_asset_folders(wheel: zipfile.ZipFile) -> None:
    # given
    names = set(wheel.namelist())
    expected = {
        f"saleor_proactive/assets/{folder}/{path.relative_to(ROOT / folder).as_posix()}"
        for folder in ASSET_FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".graphql", ".json", ".js", ".svg", ".png", ".md"}
    }

    # then
    assert expected, "the asset folders should not be empty"
    assert expected - names == set()


def test_the_wheel_carries_the_migrations(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()

    assert "saleor_proactive/store/migrations/env.py" in names
    assert "saleor_proactive/store/migrations/script.py.mako" in names
    assert any(n.startswith("saleor_proactive/store/migrations/versions/0001_") for n in names)
