import pytest

from saleor_proactive.config import ConfigError, settings_from_env


def test_defaults_apply_when_nothing_is_set() -> None:
    # when
    settings = settings_from_env({})

    # then
    assert settings.database_url == "sqlite:///./proactive.db"
    assert settings.allowed_saleor_urls == ("https://*",)
    assert settings.trust_proxy is False
    assert settings.log_level == "INFO"
    assert settings.secret_key is None
    assert settings.rate_limit_visitor == "120/minute"
    assert settings.rate_limit_address == "1200/minute"
    assert (settings.database_connect_timeout, settings.database_statement_timeout) == (2.0, 3.0)


def test_every_documented_variable_is_read() -> None:
    # given
    env = {
        "PROACTIVE_DATABASE_URL": "postgresql://u@127.0.0.1/db",
        "PROACTIVE_SECRET_KEY": "s3cret",
        "PROACTIVE_PUBLIC_URL": "https://proactive.example.com/",
        "PROACTIVE_ALLOWED_SALEOR_URLS": "https://*.saleor.cloud/graphql/, https://shop.example.com/*",
        "PROACTIVE_TRUST_PROXY": "1",
        "PROACTIVE_LOG_LEVEL": "debug",
        "PROACTIVE_RATE_LIMIT_STORAGE": "redis://127.0.0.1:6379",
        "PROACTIVE_RATE_LIMIT_VISITOR": "60/minute",
        "PROACTIVE_RATE_LIMIT_ADDRESS": "20000/hour",
        "PROACTIVE_DATABASE_CONNECT_TIMEOUT": "5",
        "PROACTIVE_DATABASE_STATEMENT_TIMEOUT": "0.5",
    }

    # when
    settings = settings_from_env(env)

    # then
    assert settings.database_url == "postgresql://u@127.0.0.1/db"
    assert settings.secret_key == "s3cret"
    assert settings.public_url == "https://proactive.example.com"
    assert settings.allowed_saleor_urls == (
        "https://*.saleor.cloud/graphql/",
        "https://shop.example.com/*",
    )
    assert settings.trust_proxy is True
    assert settings.log_level == "DEBUG"
    assert settings.rate_limit_storage == "redis://127.0.0.1:6379"
    assert (settings.rate_limit_visitor, settings.rate_limit_address) == ("60/minute", "20000/hour")
    assert (settings.database_connect_timeout, settings.database_statement_timeout) == (5.0, 0.5)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PROACTIVE_LOG_LEVEL", "LOUD"),
        ("PROACTIVE_PUBLIC_URL", "proactive.example.com"),
        ("PROACTIVE_RATE_LIMIT_VISITOR", "lots"),
        ("PROACTIVE_RATE_LIMIT_ADDRESS", "100 per minute"),
        ("PROACTIVE_DATABASE_CONNECT_TIMEOUT", "soon"),
        ("PROACTIVE_DATABASE_STATEMENT_TIMEOUT", "0"),
    ],
)
def test_malformed_values_are_refused_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        settings_from_env({variable: value})


def test_the_secret_key_is_required_where_tokens_are_encrypted() -> None:
    with pytest.raises(ConfigError, match="PROACTIVE_SECRET_KEY"):
        settings_from_env({}).require_secret_key()
