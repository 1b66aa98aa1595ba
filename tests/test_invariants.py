"""Rules the whole code base keeps, checked by reading it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ["shortscience", "accounts", "papers", "summaries", "moderation", "pages"]
RENDERER = ROOT / "shortscience" / "rendering.py"


def project_files(pattern: str):
    for directory in [*CODE_DIRS, "templates"]:
        yield from (ROOT / directory).rglob(pattern)


def test_only_the_renderer_marks_user_content_safe():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files("*.py")
        if path != RENDERER and re.search(r"\bmark_safe\b|\bSafeString\(", path.read_text())
    ]

    assert offenders == []


def test_templates_never_switch_off_escaping():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files("*.html")
        if re.search(r"\|\s*safe\b|autoescape\s+off", path.read_text())
    ]

    assert offenders == []


def test_every_page_template_extends_the_base_layout():
    pages = [
        path
        for path in (ROOT / "templates").rglob("*.html")
        if not path.name.startswith("_")
        and "layouts" not in path.parts
        and path.name != "base.html"
    ]

    assert pages
    assert [str(p.relative_to(ROOT)) for p in pages if "{% extends" not in p.read_text()] == []


def test_no_inline_scripts_or_styles_in_templates():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files("*.html")
        if re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", path.read_text())
    ]

    assert offenders == []
