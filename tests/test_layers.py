"""The apps form layers (pyproject.toml, [tool.importlinter]); `make test` runs the check,
and these tests show it holds today and catches an import that goes up."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ["shortscience", "accounts", "papers", "summaries", "moderation", "pages"]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_the_apps(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_apps_keep_their_layers():
    result = _lint_imports(ROOT)

    assert result.returncode == 0, result.stdout
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("accounts/upward.py", "from summaries.models import Summary\n"),
        ("shortscience/upward.py", "def later():\n    from pages import views\n"),
        ("summaries/upward.py", "import moderation.services\n"),
    ],
)
def test_an_import_from_a_higher_layer_breaks_the_build(copy_of_the_apps, module, line):
    (copy_of_the_apps / module).write_text(line)

    result = _lint_imports(copy_of_the_apps)

    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert module.replace("/", ".").removesuffix(".py") in result.stdout
