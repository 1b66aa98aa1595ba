"""manage.py export_site and import_site (pages/site_export.py): a round trip gives
back every row, field by field; an import refuses what it cannot load, and leaves nothing
when it fails."""

import datetime
import gzip
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Notification, Profile, User
from accounts.permissions import can_moderate
from accounts.services import update_profile
from moderation import services as moderation
from moderation.models import FlagReason, ModerationLog
from pages.site_export import EXPORTED, FORMAT_VERSION, LEFT_OUT, TRIGGER_COLUMNS
from papers.models import Paper, PaperSearch, SearchWord, ViewCount
from papers.search import Filters, paper_candidates
from papers.services import create_paper, follow_paper
from summaries.models import Comment, Figure, Revision, Summary, SummarySearch, Vote
from summaries.services import (
    add_comment,
    cast_vote,
    delete_comment,
    publish_summary,
    share_summary,
    update_summary,
    vote_comment,
)
from tests.factories import PASSWORD, PaperFactory, UserFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def filled_site(author, other_user, moderator):
    """A small site with one of everything: a paper with authors, venue, keywords and
    identifiers; a summary edited twice and shared; a private one; comments with a reply
    and a deleted one; votes; a flag decided by a moderator; a suspension; a merge.
    Returns that first paper."""
    venue = VenueFactory(short_name="ICLR", dblp_key="conf/iclr")
    paper = create_paper(
        author,
        authors=["Diederik Kingma", "Jimmy Ba"],
        tags=["cs.LG", "momentum"],
        title="Adam: A Method for Stochastic Optimization",
        abstract="We introduce Adam, an algorithm for first-order gradient-based optimization.",
        year=2014,
        venue=venue,
        venue_year=2015,
        arxiv_id="1412.6980",
        doi="10.48550/arxiv.1412.6980",
        url="https://arxiv.org/abs/1412.6980",
    )
    other_paper = PaperFactory(title="Batch Normalization", authors=["Sergey Ioffe"])
    duplicate = PaperFactory(title="Batch Normalisation (preprint)", arxiv_id="1502.03167")
    follow_paper(other_user, paper)
    update_profile(author.profile, {"display_name": "Ada L.", "bio": "Optimizers, $\\beta_2$."})

    summary = publish_summary(author, paper, body="Adam keeps running moments.")
    summary = update_summary(
        summary, author, body="Adam keeps *two* moments.", is_anonymous=False,
        is_private=False, base_version=1,
    )  # fmt: skip
    update_summary(
        summary, author, body="Adam keeps two moments, $m_t$ and $v_t$.", is_anonymous=True,
        is_private=False, base_version=2,
    )  # fmt: skip
    share_summary(summary)
    publish_summary(other_user, other_paper, body="Normalize each batch.", is_private=True)

    comment = add_comment(other_user, summary, body="What about $\\epsilon$?")
    add_comment(author, summary, body="It keeps the division safe.", parent=comment)
    delete_comment(add_comment(other_user, summary, body="Oops, wrong summary."))
    cast_vote(other_user, summary, 1)
    cast_vote(moderator, summary, -1)
    vote_comment(author, comment, up=True)

    spam = add_comment(other_user, summary, body="Cheap watches at example.org")
    moderation.flag(author, spam, reason=FlagReason.SPAM)
    moderation.resolve(moderation.open_case(spam), moderator, "hide", "Advertising.")
    moderation.suspend(other_user, moderator, "Spam.", length=datetime.timedelta(days=7))
    moderation.merge(duplicate, other_paper, moderator, "Same paper.")

    ViewCount.objects.create(kind="paper", object_id=paper.pk, day=timezone.localdate(), count=3)
    Figure.objects.create(uploader=author, image="figures/adam.png", width=640, height=480)
    SocialAccount.objects.create(user=other_user, provider="orcid", uid="0000-0002-1825-0097")
    return paper


def snapshot() -> dict[str, list]:
    """Every row of every exported model as data, field by field, in id order; members'
    groups and groups' permissions; and the search documents the triggers wrote."""
    rows = {
        label: list(apps.get_model(label)._base_manager.order_by("pk").values())
        for label in EXPORTED
    }
    rows["groups of members"] = list(
        User.groups.through.objects.order_by("user_id").values_list("user_id", "group__name")
    )
    rows["permissions of groups"] = list(
        Group.permissions.through.objects.order_by("group__name", "permission__codename")
        .values_list("group__name", "permission__codename")
    )  # fmt: skip
    rows["paper documents"] = list(PaperSearch.objects.order_by("paper_id").values())
    rows["summary documents"] = list(SummarySearch.objects.order_by("summary_id").values())
    return rows


def wipe_content() -> None:
    """Empty what the export covers and what the triggers fill, and restart the id
    sequences: the database is as ``migrate`` left it (with the Moderators group)."""
    models = [apps.get_model(label) for label in EXPORTED if label != "auth.Group"]
    models += [User.groups.through, PaperSearch, SummarySearch, SearchWord]
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    connection.check_constraints()  # TRUNCATE refuses tables with checks still pending.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def refusal(path) -> str:
    """import_site's one-line refusal of the file."""
    with pytest.raises(CommandError) as refused:
        call_command("import_site", path, verbosity=0)
    message = str(refused.value)
    assert "\n" not in message
    return message


def export_lines(path) -> list[str]:
    call_command("export_site", path, verbosity=0)
    return path.read_text().splitlines(keepends=True)


def test_every_model_is_exported_or_left_out_on_purpose():
    # Many-to-many tables go with their models (a member's groups with the member).
    models = {model._meta.label for model in apps.get_models()}

    assert models == set(EXPORTED) | set(LEFT_OUT)
    assert set(EXPORTED).isdisjoint(LEFT_OUT)
    for label, columns in TRIGGER_COLUMNS.items():
        assert columns <= {field.name for field in apps.get_model(label)._meta.fields}


def test_import_site_gives_back_every_row_field_by_field(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    call_command("export_site", path, verbosity=0)
    before = snapshot()
    wipe_content()

    call_command("import_site", path, verbosity=0)

    after = snapshot()
    assert [row["number"] for row in before["summaries.Revision"]] == [1, 2, 3, 1]
    assert [row["deleted_at"] is not None for row in before["summaries.Comment"]] == [
        False, False, True, False,
    ]  # fmt: skip
    assert len(before["moderation.ModerationLog"]) == 3
    for label in [
        "papers.Paper", "summaries.Summary", "summaries.Revision", "summaries.Comment",
        "summaries.Vote", "accounts.Profile", "accounts.User", "moderation.ModerationLog",
    ]:  # fmt: skip
        assert after[label] == before[label], label
    assert after == before


def test_import_site_makes_imported_papers_and_summaries_searchable(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    call_command("export_site", path, verbosity=0)
    wipe_content()

    call_command("import_site", path, verbosity=0)

    def found(text):
        return [paper_id for paper_id, _ in paper_candidates(text, Filters())]

    assert found("stochastic") == [filled_site.pk]  # the title
    assert found("kingma") == [filled_site.pk]  # an author, by the authorship trigger
    assert found("momentum") == [filled_site.pk]  # a keyword, by the tagged item trigger
    assert found("gradient") == [filled_site.pk]  # the abstract
    assert found("1412.6980") == [filled_site.pk]  # an identifier
    public = Summary.objects.get(paper=filled_site)
    assert list(SummarySearch.objects.values_list("summary_id", flat=True)) == [public.pk]


def test_members_sign_in_and_moderate_as_before_after_an_import(
    filled_site, moderator, tmp_path, client
):
    path = tmp_path / "site.jsonl"
    call_command("export_site", path, verbosity=0)
    wipe_content()

    call_command("import_site", path, verbosity=0)

    assert client.login(username="ada", password=PASSWORD) is True
    assert can_moderate(User.objects.get(username="mod")) is True
    assert can_moderate(User.objects.get(username="bob")) is False


def test_rows_added_after_an_import_get_new_ids(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    call_command("export_site", path, verbosity=0)
    last = {model: model.objects.order_by("pk").last().pk for model in [User, Paper, Comment]}
    last_log = ModerationLog.objects.order_by("pk").last().pk
    wipe_content()
    call_command("import_site", path, verbosity=0)

    member = UserFactory(username="newcomer")
    paper = PaperFactory(title="A New Paper", arxiv_id="2501.00001")
    summary = publish_summary(member, paper, body="New.")
    comment = add_comment(member, summary, body="First!")
    moderation.hide(comment, User.objects.get(username="mod"), "Testing.")

    assert member.pk == last[User] + 1
    assert member.profile.pk == member.pk
    assert paper.pk == last[Paper] + 1
    assert comment.pk == last[Comment] + 1
    assert ModerationLog.objects.order_by("pk").last().pk == last_log + 1


def test_export_site_compresses_a_file_named_gz(filled_site, tmp_path):
    path = tmp_path / "site.jsonl.gz"

    call_command("export_site", path, verbosity=0)
    wipe_content()
    call_command("import_site", path, verbosity=0)

    with gzip.open(path, "rt") as exported:
        assert json.loads(exported.readline())["version"] == FORMAT_VERSION
    assert (
        Paper.objects.get(pk=filled_site.pk).title == "Adam: A Method for Stochastic Optimization"
    )


def test_export_site_and_import_site_print_rows_per_model(filled_site, tmp_path, capsys):
    path = tmp_path / "site.jsonl"

    call_command("export_site", path)
    exported = capsys.readouterr().out
    wipe_content()
    call_command("import_site", path)
    imported = capsys.readouterr().out

    assert "  papers.Paper: 2\n" in exported
    assert "  summaries.Revision: 4\n" in exported
    assert "  summaries.Revision: 4\n" in imported
    assert re.search(r"^Exported \d+ rows to .*site\.jsonl in [\d.]+ s\.$", exported, re.M)
    assert re.search(r"^Imported \d+ rows from .*site\.jsonl in [\d.]+ s\.$", imported, re.M)
    assert "back up MEDIA_ROOT" in exported  # There is a figure.


def test_export_site_and_import_site_print_nothing_at_verbosity_0(filled_site, tmp_path, capsys):
    path = tmp_path / "site.jsonl"

    call_command("export_site", path, verbosity=0)
    wipe_content()
    call_command("import_site", path, verbosity=0)

    assert capsys.readouterr().out == ""


def test_export_site_refuses_a_folder_it_cannot_write_to(tmp_path):
    path = tmp_path / "missing" / "site.jsonl"

    with pytest.raises(CommandError) as refused:
        call_command("export_site", path, verbosity=0)

    assert str(refused.value).startswith(f"Cannot write {path}: [Errno 2] No such file")
    assert list(tmp_path.iterdir()) == []


# Refusals


def test_import_site_refuses_a_site_with_content(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    call_command("export_site", path, verbosity=0)

    message = refusal(path)

    assert message.startswith("This site has content already (users, profiles, ")
    assert "create a new one, run manage.py migrate on it, then import_site" in message
    assert Paper.objects.count() == 2


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello\n",
        b'[{"model": "papers.paper", "pk": 1, "fields": {}}]\n',  # dumpdata's JSON
        b'{"format": "something else", "version": 1}\n',
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
    ids=["empty", "text", "dumpdata", "other format", "binary"],
)
def test_import_site_refuses_a_file_that_is_not_an_export(content, tmp_path):
    path = tmp_path / "site.jsonl"
    path.write_bytes(content)

    assert refusal(path) == (
        f"{path} is not a ShortScience site export (its first line is not the header "
        "that export_site writes)."
    )


def test_import_site_refuses_a_missing_or_broken_file(tmp_path):
    broken, cut = tmp_path / "site.jsonl.gz", tmp_path / "cut.jsonl.gz"
    broken.write_text("not compressed\n")
    cut.write_bytes(gzip.compress(b"x" * 1000)[:20])

    assert refusal(tmp_path / "missing.jsonl").startswith(
        f"Cannot read {tmp_path / 'missing.jsonl'}: [Errno 2] No such file or directory"
    )
    assert refusal(broken) == f"Cannot read {broken}: Not a gzipped file (b'no')"
    assert refusal(cut) == (
        f"Cannot read {cut}: Compressed file ended before the end-of-stream marker was reached"
    )


def rewrite_header(lines: list[str], **changes) -> list[str]:
    header = json.loads(lines[0]) | changes
    return [json.dumps(header) + "\n", *lines[1:]]


def test_import_site_refuses_another_format_version(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    lines = export_lines(path)
    path.write_text("".join(rewrite_header(lines, version=FORMAT_VERSION + 1)))
    wipe_content()

    message = refusal(path)

    assert message == (
        f"{path} is in export format version {FORMAT_VERSION + 1}; this site reads "
        f"version {FORMAT_VERSION}."
    )


def test_import_site_refuses_a_file_from_other_migrations(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    lines = export_lines(path)
    migrations = json.loads(lines[0])["migrations"]
    ours = migrations["papers"]
    path.write_text(
        "".join(rewrite_header(lines, migrations=migrations | {"papers": ["0099_future"]}))
    )
    wipe_content()

    message = refusal(path)

    assert message == (
        f"{path} was written at other migrations than this database's (papers: 0099_future "
        f"in the file, {ours[0]} here): import it into a database at the file's migrations "
        "(the code it was exported with), then migrate."
    )
    assert Paper.objects.count() == 0


def test_import_site_refuses_a_cut_short_file_and_leaves_nothing(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    lines = export_lines(path)
    path.write_text("".join(lines[:-2]))  # Notifications come last.
    notifications = Notification.objects.count()
    wipe_content()

    message = refusal(path)

    assert message == (
        f"{path} is incomplete: its header counts {notifications} accounts.Notification "
        f"rows, {notifications - 2} were read. Was it cut short?"
    )
    assert (User.objects.count(), Paper.objects.count(), Summary.objects.count()) == (0, 0, 0)


def test_import_site_leaves_nothing_after_a_bad_row_and_can_run_again(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    lines = export_lines(path)
    bad = next(n for n, line in enumerate(lines) if '"model": "summaries.vote"' in line)
    path.write_text("".join([*lines[:bad], '{"model": "summaries.vote", "pk": \n', *lines[bad:]]))
    wipe_content()

    message = refusal(path)
    assert message == f"{path}, line {bad + 1}: Expecting value: line 2 column 1 (char 35)"
    assert (User.objects.count(), Paper.objects.count(), Revision.objects.count()) == (0, 0, 0)
    path.write_text("".join(lines))
    call_command("import_site", path, verbosity=0)

    assert Vote.objects.count() == 2


def test_import_site_refuses_rows_that_are_not_content(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    lines = export_lines(path)
    session = (
        '{"model": "sessions.session", "pk": "abc", "fields": '
        '{"session_data": "x", "expire_date": "2030-01-01T00:00:00Z"}}\n'
    )
    path.write_text("".join([*lines, session]))
    wipe_content()

    message = refusal(path)

    assert message == (
        f"{path}, line {len(lines) + 1}: sessions.Session rows are not part of a site export."
    )
    assert Profile.objects.count() == 0


def test_import_site_refuses_a_row_that_breaks_a_constraint(filled_site, tmp_path):
    path = tmp_path / "site.jsonl"
    lines = export_lines(path)
    vote = next(n for n, line in enumerate(lines) if '"model": "summaries.vote"' in line)
    lines[vote] = lines[vote].replace('"value": 1', '"value": 5')
    path.write_text("".join(lines))
    wipe_content()

    message = refusal(path)

    assert message.startswith(f"{path} does not fit this database: ")
    assert Group.objects.filter(name="Moderators").exists()
    assert Vote.objects.count() == 0


# pg_dump and pg_restore, as docs/backup.md has them


def client_programs() -> Path:
    """The folder of a pg_dump and pg_restore of the server's major version: the embedded
    PostgreSQL's, where docs/backup.md says they are, or those on PATH."""
    server_major = connection.pg_version // 10000
    folders = [Path(importlib.util.find_spec("pgserver").origin).parent / "pginstall" / "bin"]
    if on_path := shutil.which("pg_dump"):
        folders.append(Path(on_path).parent)
    for folder in folders:
        version = subprocess.run(
            [folder / "pg_dump", "--version"], capture_output=True, text=True, check=True
        )
        if int(re.search(r"\) (\d+)", version.stdout).group(1)) == server_major:
            return folder
    pytest.skip(f"no pg_dump of the server's major version ({server_major})")


@pytest.mark.slow
def test_pg_dump_and_pg_restore_copy_the_schema_with_its_triggers(tmp_path):
    programs = client_programs()
    params = connection.get_connection_params()
    server = {key: params.get(key) for key in ["host", "port", "user", "password"]}
    where = [f"--host={server['host'] or 'localhost'}", f"--port={server['port'] or 5432}"]
    where.append(f"--username={server['user'] or 'postgres'}")
    env = {"PGPASSWORD": server["password"] or ""}
    source, target = params["dbname"], f"{params['dbname']}_restored"
    dump = tmp_path / "site.dump"
    admin = psycopg.connect(**server, dbname="postgres", autocommit=True)

    try:
        # The test's own rows are not committed: what is dumped is the schema as migrate
        # left it, with the search triggers and functions and the pg_trgm extension.
        subprocess.run(
            [programs / "pg_dump", "-Fc", *where, f"--file={dump}", source], env=env, check=True
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}"')
        subprocess.run(
            [programs / "pg_restore", "--no-owner", *where, "-d", target, dump],
            env=env,
            check=True,
        )
        with psycopg.connect(**server, dbname=target, autocommit=True) as restored:
            migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()
            restored.execute(
                "INSERT INTO papers_paper (title, slug, abstract, year, arxiv_id, doi, "
                "bibtex_key, url, pdf_url, source, created_at, updated_at) VALUES "
                "('Restored Paper', 'restored-paper', '', 2020, '', '', '', '', '', "
                "'manual', now(), now())"
            )
            documents = restored.execute("SELECT document::text FROM papers_papersearch")
            documents = documents.fetchall()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert migrations == cursor.fetchone()
    assert documents == [("'paper':2A 'restor':1A",)]
