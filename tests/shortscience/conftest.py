import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7-Qm2vLr9pW4sKz8nB1cH6tYf3dJ0gA5eR-uN_oPiVwXyZqMlCbEhTs",
    "ALLOWED_HOSTS": "shortscience.example",
}
# Variables the settings read; each subprocess starts from none of them.
SETTINGS_VARIABLES = [
    "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "REDIS_URL", "EMAIL_HOST",
    "GITHUB_CLIENT_ID", "GITHUB_SECRET", "GOOGLE_CLIENT_ID", "GOOGLE_SECRET",
    "ORCID_CLIENT_ID", "ORCID_SECRET", "STATIC_ROOT", "EMAIL_PORT", "EMAIL_HOST_USER",
    "DATABASE_REPLICA_URL", "REPLICA_PIN_SECONDS", "PAGE_CACHE_SECONDS",
]  # fmt: skip


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Python code in a fresh process with the project's settings and these variables."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    base["DJANGO_SETTINGS_MODULE"] = "shortscience.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run a manage.py command in a fresh process with these variables."""
    return run_python(
        "from django.core.management import execute_from_command_line; "
        f"execute_from_command_line(['manage.py', *{list(args)!r}])",
        env,
    )


@pytest.fixture
def read_settings():
    """Import the settings under the given environment; return the named values as JSON."""

    def read(env: dict[str, str], *names: str):
        code = (
            "import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, "
            "default=str))"
        )
        result = run_python(code, env)
        if result.returncode:
            return result
        return json.loads(result.stdout.strip().splitlines()[-1])

    return read
