from flask.testing import FlaskClient

from saleor_proactive.app import create_app
from saleor_proactive.config import Settings
from tests.conftest import TEST_SECRET


def test_healthz_answers_ok_when_the_database_answers(client: FlaskClient) -> None:
    # when
    response = client.get("/healthz")

    # then
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable() -> None:
    # given a PostgreSQL URL on a port where nothing listens
    settings = Settings(
        database_url="postgresql://nobody@127.0.0.1:1/none?connect_timeout=1",
        secret_key=TEST_SECRET,
    )
    client = create_app(settings).test_client()

    # when
    response = client.get("/healthz")

    # then
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "database_unavailable"


def test_unknown_route_gets_a_json_error(client: FlaskClient) -> None:
    response = client.get("/no/such/route")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_models_and_migrations_are_in_step(app_database_engine_diff: list[object]) -> None:
    # A model changed without a migration would break `db upgrade` for operators.
    assert app_database_engine_diff == []
