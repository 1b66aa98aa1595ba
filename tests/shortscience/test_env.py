import pytest
from django.core.exceptions import ImproperlyConfigured

from shortscience.env import env_bool, env_int, env_list, env_secret


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)

    assert env_bool("FLAG", default=True) is True


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG", default=False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")

    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT", 1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.org, ,b.org ,")

    assert env_list("HOSTS") == ["a.org", "b.org"]


def test_env_secret_reads_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("s3cret\n")
    monkeypatch.delenv("KEY", raising=False)
    monkeypatch.setenv("KEY_FILE", str(secret_file))

    assert env_secret("KEY") == "s3cret"


def test_env_secret_refuses_both_forms_at_once(monkeypatch, tmp_path):
    monkeypatch.setenv("KEY", "a")
    monkeypatch.setenv("KEY_FILE", str(tmp_path / "key"))

    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("KEY")


def test_env_secret_names_an_unreadable_file(monkeypatch, tmp_path):
    monkeypatch.delenv("KEY", raising=False)
    monkeypatch.setenv("KEY_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured, match="KEY_FILE: cannot read"):
        env_secret("KEY")
