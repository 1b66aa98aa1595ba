"""The vendored KaTeX is complete: the CSP lets pages load nothing from elsewhere. The
vendored axe-core (tests only) is one version, with its licences."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
STATIC = BASE_DIR / "static"
MATH_ASSETS = BASE_DIR / "templates" / "_math_assets.html"
TEST_VENDOR = BASE_DIR / "tests" / "browser" / "vendor"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")


def _referenced_files() -> list[str]:
    return STATIC_TAG.findall(MATH_ASSETS.read_text())


def _katex_dir() -> Path:
    (css,) = [name for name in _referenced_files() if name.endswith("/katex.min.css")]
    return STATIC / Path(css).parent


def test_math_assets_reference_files_that_exist():
    referenced = _referenced_files()

    missing = [name for name in referenced if not (STATIC / name).is_file()]

    assert len(referenced) == 3
    assert missing == []


def test_vendored_katex_is_the_only_version_and_has_its_licence():
    katex = _katex_dir()

    files = sorted(path.name for path in katex.iterdir() if path.is_file())

    assert sorted((STATIC / "vendor").glob("katex-*")) == [katex]
    assert files == ["LICENSE", "README.md", "katex.min.css", "katex.min.js"]
    assert "MIT License" in (katex / "LICENSE").read_text()


def test_vendored_katex_folder_is_named_for_the_version_inside():
    katex = _katex_dir()

    version = re.search(r'version:"([\d.]+)"', (katex / "katex.min.js").read_text())[1]

    assert katex.name == f"katex-{version}"


def test_every_font_the_katex_stylesheet_names_exists():
    # Browsers take the first format they support (woff2), but collectstatic's hashed
    # storage rewrites every url() in the stylesheet and fails on any missing file.
    katex = _katex_dir()
    urls = re.findall(r"url\(([^)]+)\)", (katex / "katex.min.css").read_text())

    missing = [url for url in urls if not (katex / url.strip("'\"")).is_file()]

    assert len([url for url in urls if url.endswith(".woff2")]) == 20
    assert missing == []


def test_vendored_axe_is_one_version_named_for_the_version_inside():
    (axe,) = TEST_VENDOR.glob("axe-core-*")

    version = re.match(r"/\*! axe v([\d.]+)\n", (axe / "axe.min.js").read_text())[1]

    assert axe.name == f"axe-core-{version}"


def test_vendored_axe_has_its_licences_and_says_where_it_came_from():
    (axe,) = TEST_VENDOR.glob("axe-core-*")
    version = axe.name.removeprefix("axe-core-")

    files = sorted(path.name for path in axe.iterdir())

    assert files == ["LICENSE", "LICENSE-3RD-PARTY.txt", "README.md", "axe.min.js"]
    assert (axe / "LICENSE").read_text().startswith("Mozilla Public License, version 2.0")
    assert f"scripts/vendor-axe {version}" in (axe / "README.md").read_text()
    assert re.search(
        r"Tarball integrity: `sha512-[A-Za-z0-9+/]{86}==`", (axe / "README.md").read_text()
    )
