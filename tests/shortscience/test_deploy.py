"""Production configuration: the deploy checks pass and static files build."""

from urllib.parse import quote

import pytest
from django.db import connection

from tests.processes import PRODUCTION_ENV, run_manage

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def database_url() -> str:
    """A URL for the database the tests use, so the checks need no other server."""
    params = connection.get_connection_params()
    # A socket directory goes in the host part, percent-encoded.
    host = quote(params.get("host") or "127.0.0.1", safe="")
    port = params.get("port") or 5432
    return f"postgres://{params['user']}@{host}:{port}/{params['dbname']}"


def test_check_deploy_is_clean_with_production_variables():
    env = PRODUCTION_ENV | {"DATABASE_URL": database_url(), "EMAIL_HOST": "smtp.example.org"}

    result = run_manage(env, "check", "--deploy", "--fail-level", "DEBUG")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_about_a_weak_secret_key():
    env = PRODUCTION_ENV | {"DATABASE_URL": database_url(), "SECRET_KEY": "short"}

    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 1
    assert "security.W009" in result.stderr


def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    env = PRODUCTION_ENV | {"STATIC_ROOT": str(tmp_path)}

    result = run_manage(env, "collectstatic", "--no-input", "-v0")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    hashed = [p.name for p in (tmp_path / "css").glob("site.*.css")]
    assert len(hashed) == 1
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()


def test_check_deploy_refuses_console_mail_in_production():
    env = PRODUCTION_ENV | {"DATABASE_URL": database_url()}

    result = run_manage(env, "check", "--deploy")

    assert result.returncode == 1
    assert "mail.E001" in result.stderr
