"""Settings come from the environment; each case imports them in a fresh process."""

import subprocess

import pytest

from tests.processes import PRODUCTION_ENV

pytestmark = [pytest.mark.slow]


def test_development_needs_no_variables(read_settings):
    values = read_settings({}, "DEBUG", "ALLOWED_HOSTS", "CACHES", "MAILERS")

    assert values["DEBUG"] is True
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["MAILERS"] == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }


def test_production_refuses_to_start_without_secret_key(read_settings):
    env = PRODUCTION_ENV | {"SECRET_KEY": ""}

    result = read_settings(env, "DEBUG")

    assert isinstance(result, subprocess.CompletedProcess)
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(read_settings):
    env = PRODUCTION_ENV | {"ALLOWED_HOSTS": ""}

    result = read_settings(env, "DEBUG")

    assert isinstance(result, subprocess.CompletedProcess)
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_secret_key_can_come_from_a_file(read_settings, tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(PRODUCTION_ENV["SECRET_KEY"])
    env = PRODUCTION_ENV | {"SECRET_KEY": "", "SECRET_KEY_FILE": str(key_file)}

    values = read_settings(env, "SECRET_KEY")

    assert values == {"SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]}


def test_database_url_must_be_postgres(read_settings):
    result = read_settings({"DATABASE_URL": "sqlite:///db.sqlite3"}, "DATABASES")

    assert isinstance(result, subprocess.CompletedProcess)
    assert "DATABASE_URL must be a postgres:// URL" in result.stderr


def test_database_url_selects_that_server(read_settings):
    url = "postgres://someone@db.internal:6543/science"

    values = read_settings({"DATABASE_URL": url}, "DATABASES")

    database = values["DATABASES"]["default"]
    assert (database["ENGINE"], database["HOST"], database["PORT"], database["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        6543,
        "science",
    )
    assert database["CONN_HEALTH_CHECKS"] is True


def test_without_database_url_the_embedded_server_is_used(read_settings):
    values = read_settings({"DATABASE_URL": ""}, "DATABASES")

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "shortscience.embedded_postgres"
    assert database["PGDATA"].endswith(".pgdata")


def test_redis_url_switches_the_cache_and_session_reads_to_redis(read_settings):
    values = read_settings({"REDIS_URL": "redis://127.0.0.1:6379/1"}, "CACHES", "SESSION_ENGINE")

    assert values["CACHES"]["default"] == {
        "BACKEND": "shortscience.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert values["CACHES"]["pages"] == {
        "BACKEND": "shortscience.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": "pages",
    }


def test_pages_get_a_redis_of_their_own_with_redis_pages_url(read_settings):
    env = {"REDIS_URL": "redis://cache:6379/0", "REDIS_PAGES_URL": "redis://pages:6379/0"}

    caches = read_settings(env, "CACHES")["CACHES"]

    assert caches["default"]["LOCATION"] == "redis://cache:6379/0"
    assert caches["pages"]["LOCATION"] == "redis://pages:6379/0"


def test_without_redis_the_caches_are_sized(read_settings):
    env = {"REDIS_URL": "", "CACHE_MAX_ENTRIES": "5000", "PAGE_CACHE_ENTRIES": "300"}

    caches = read_settings(env, "CACHES")["CACHES"]

    assert caches["default"]["OPTIONS"] == {"MAX_ENTRIES": 5000}
    assert caches["pages"] == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 300},
    }


def test_without_redis_url_sessions_stay_in_the_database(read_settings):
    values = read_settings({"REDIS_URL": ""}, "SESSION_ENGINE")

    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_email_host_switches_mail_to_smtp(read_settings):
    env = {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "2525", "EMAIL_HOST_USER": "site"}

    values = read_settings(env, "MAILERS")

    mailer = values["MAILERS"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mailer["OPTIONS"]["host"], mailer["OPTIONS"]["port"]) == ("smtp.example.org", 2525)
    assert mailer["OPTIONS"]["username"] == "site"


def test_social_provider_is_configured_only_with_both_variables(read_settings):
    env = {"GITHUB_CLIENT_ID": "abc", "GITHUB_SECRET": "def", "GOOGLE_CLIENT_ID": "only-id"}

    values = read_settings(env, "SOCIALACCOUNT_PROVIDERS", "SECURE_CSP")

    assert values["SOCIALACCOUNT_PROVIDERS"] == {
        "github": {"APPS": [{"client_id": "abc", "secret": "def"}]}
    }
    assert values["SECURE_CSP"]["form-action"] == ["'self'", "https://github.com"]


def test_a_misspelt_boolean_stops_the_start(read_settings):
    result = read_settings({"DEBUG": "flase"}, "DEBUG")

    assert isinstance(result, subprocess.CompletedProcess)
    assert "DEBUG must be one of" in result.stderr
