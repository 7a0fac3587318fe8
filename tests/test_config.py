import pytest

from saleor_proactive.config import ConfigError, Settings, settings_from_env

LONG_SECRET = "s3cret-s3cret-s3cret-s3cret-s3cret"


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
        "PROACTIVE_SECRET_KEY": LONG_SECRET,
        "PROACTIVE_PUBLIC_URL": "https://proactive.example.com/",
        "PROACTIVE_ALLOWED_SALEOR_URLS": "https://*.saleor.cloud/graphql/, https://shop.example.com/*",
        "PROACTIVE_TRUST_PROXY": "1",
        "PROACTIVE_LOG_LEVEL": "debug",
        "PROACTIVE_RATE_LIMIT_STORAGE": "redis://127.0.0.1:6379",
        "PROACTIVE_RATE_LIMIT_VISITOR": "60/minute",
        "PROACTIVE_RATE_LIMIT_ADDRESS": "20000/hour",
        "PROACTIVE_RATE_LIMIT_CHECKOUT_REFRESH": "30/minute",
        "PROACTIVE_DATABASE_CONNECT_TIMEOUT": "5",
        "PROACTIVE_DATABASE_STATEMENT_TIMEOUT": "0.5",
    }

    # when
    settings = settings_from_env(env)

    # then
    assert settings.database_url == "postgresql://u@127.0.0.1/db"
    assert settings.secret_key == LONG_SECRET
    assert settings.public_url == "https://proactive.example.com"
    assert settings.allowed_saleor_urls == (
        "https://*.saleor.cloud/graphql/",
        "https://shop.example.com/*",
    )
    assert settings.trust_proxy is True
    assert settings.log_level == "DEBUG"
    assert settings.rate_limit_storage == "redis://127.0.0.1:6379"
    assert (settings.rate_limit_visitor, settings.rate_limit_address) == ("60/minute", "20000/hour")
    assert settings.rate_limit_checkout_refresh == "30/minute"
    assert (settings.database_connect_timeout, settings.database_statement_timeout) == (5.0, 0.5)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PROACTIVE_LOG_LEVEL", "LOUD"),
        ("PROACTIVE_PUBLIC_URL", "proactive.example.com"),
        ("PROACTIVE_RATE_LIMIT_VISITOR", "lots"),
        ("PROACTIVE_RATE_LIMIT_ADDRESS", "100 per minute"),
        ("PROACTIVE_ALLOWED_SALEOR_URLS", "https://*.saleor.cloud/graphql/, saleor.cloud"),
        ("PROACTIVE_RATE_LIMIT_CHECKOUT_REFRESH", "often"),
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


@pytest.mark.parametrize("key", ["s3cret", "x" * 31])
def test_a_secret_key_shorter_than_32_characters_is_refused_showing_how_to_make_one(
    key: str,
) -> None:
    # when a short key is set, or handed to the settings directly
    with pytest.raises(ConfigError) as from_env:
        settings_from_env({"PROACTIVE_SECRET_KEY": key})
    with pytest.raises(ConfigError) as from_settings:
        Settings(secret_key=key).require_secret_key()

    # then both name the variable and the command that makes a good one
    for caught in (from_env, from_settings):
        assert "PROACTIVE_SECRET_KEY" in str(caught.value)
        assert "at least 32 characters" in str(caught.value)
        assert "secrets.token_urlsafe(48)" in str(caught.value)


def test_a_secret_key_of_32_characters_is_accepted() -> None:
    assert settings_from_env({"PROACTIVE_SECRET_KEY": "x" * 32}).require_secret_key() == "x" * 32
