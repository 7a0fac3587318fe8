"""The sandbox's GraphQL and HTTP layers depend on `interface`, never on the server that
assembles them, so no import circle can come back."""

import ast
from pathlib import Path

import pytest

import saleor_proactive.sandbox as sandbox_package

SANDBOX = Path(sandbox_package.__file__).parent
LAYERS = ["resolvers", "mutations", "root", "http_api", "dashboard_page", "interface"]


def imported_modules(module: str) -> set[str]:
    tree = ast.parse((SANDBOX / f"{module}.py").read_text())
    return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


@pytest.mark.parametrize("module", LAYERS)
def test_the_graphql_and_http_layers_do_not_import_the_server(module: str) -> None:
    assert "server" not in imported_modules(module)
