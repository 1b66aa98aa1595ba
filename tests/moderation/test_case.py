"""A case, /moderation/cases/<pk>/ (moderation.views.case): the item, its flags and the
decisions for its kind; a decision closes the case, does what it says and is logged."""

import pytest

from accounts.models import Suspension
from moderation import services as moderation
from moderation.models import Case, FlagReason, ModerationLog
from papers.models import Paper, PaperRedirect
from summaries.models import Summary
from tests.factories import PaperFactory
from tests.moderation.helpers import WEEK, messages_of, open_case, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def case_url(case: Case) -> str:
    return f"/moderation/cases/{case.pk}/"


def decide(decision, reason="Decided", **extra) -> dict:
    return {"decide-decision": decision, "decide-reason": reason} | {
        f"decide-{name}": value for name, value in extra.items()
    }


def test_case_page_shows_the_item_its_flags_and_the_decisions_for_its_kind(
    mod_client, summary, other_user
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM, text="Links to a shop")
    case = open_case(summary)

    response = mod_client.get(case_url(case))

    assert response.status_code == 200
    assert response.context["case"] == case
    assert [flag.reporter for flag in response.context["flags"]] == [other_user]
    form = response.context["form"]
    assert [value for value, _ in form.fields["decision"].choices] == [
        "hide",
        "suspend",
        "dismiss",
    ]
    assert "merge_into" not in form.fields
    assert response.context["paper_form"] is None
    assert "Links to a shop" in text_of(response)


def test_case_page_of_a_paper_offers_its_details_to_correct(mod_client, paper, other_user):
    paper.tags.add("cs.LG")
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)

    response = mod_client.get(case_url(open_case(paper)))

    assert response.status_code == 200
    assert [value for value, _ in response.context["form"].fields["decision"].choices] == [
        "edit",
        "merge",
        "suspend",
        "dismiss",
    ]
    paper_form = response.context["paper_form"]
    assert (paper_form.initial["authors"], paper_form.initial["tags"]) == (
        "Ashish Vaswani",
        "cs.LG",
    )
    assert paper_form.prefix == "paper"


@pytest.mark.parametrize(
    ("item", "decision", "extra"),
    [
        pytest.param("summary", "hide", {}, id="summary-hide"),
        pytest.param("summary", "suspend", {"length": "7d"}, id="summary-suspend"),
        pytest.param("summary", "dismiss", {}, id="summary-dismiss"),
        pytest.param("comment", "hide", {}, id="comment-hide"),
        pytest.param("comment", "suspend", {"length": "lifted"}, id="comment-suspend"),
        pytest.param("comment", "dismiss", {}, id="comment-dismiss"),
        pytest.param("user", "suspend", {"length": "30d"}, id="member-suspend"),
        pytest.param("user", "dismiss", {}, id="member-dismiss"),
    ],
    indirect=["item"],
)
def test_deciding_a_case_closes_it_logs_it_and_goes_back_to_the_queue(
    mod_client, moderator, other_user, item, decision, extra
):
    moderation.flag(other_user, item, reason=FlagReason.ABUSE)
    case = open_case(item)

    response = mod_client.post(case_url(case), decide(decision, "Seen to", **extra))

    assert response.status_code == 302
    assert response["Location"] == "/moderation/"
    assert messages_of(response) == ["The case is decided and logged."]
    case.refresh_from_db()
    assert (case.is_open, case.decision, case.decision_reason, case.closed_by) == (
        False,
        decision,
        "Seen to",
        moderator,
    )
    assert list(ModerationLog.objects.values_list("action", "reason", "case")) == [
        (decision, "Seen to", case.pk)
    ]


def test_deciding_to_hide_hides_the_item(mod_client, comment, other_user, summary):
    moderation.flag(other_user, comment, reason=FlagReason.SPAM)

    mod_client.post(case_url(open_case(comment)), decide("hide", "Spam"))

    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (True, "Spam")
    assert Summary.objects.get(pk=summary.pk).comment_count == 0


def test_deciding_to_suspend_suspends_the_author_for_the_chosen_length(
    mod_client, summary, author, other_user
):
    moderation.flag(other_user, summary, reason=FlagReason.ABUSE)

    mod_client.post(case_url(open_case(summary)), decide("suspend", "Abuse", length="7d"))

    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.reason) == (author, "Abuse")
    assert suspension.ends_at - suspension.starts_at == WEEK


def paper_fields(paper, **changes) -> dict:
    fields = {
        "title": paper.title,
        "authors": "Ashish Vaswani",
        "abstract": paper.abstract,
        "year": str(paper.year),
        "arxiv_id": paper.arxiv_id,
        "tags": "",
        **changes,
    }
    return {f"paper-{name}": value for name, value in fields.items()}


def test_deciding_to_edit_a_paper_saves_its_corrected_details(
    mod_client, moderator, paper, other_user
):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER, text="Missing author")
    case = open_case(paper)
    data = decide("edit", "Added the second author") | paper_fields(
        paper, authors="Ashish Vaswani\nNoam Shazeer", tags="cs.CL"
    )

    response = mod_client.post(case_url(case), data)

    assert response.status_code == 302
    assert response["Location"] == "/moderation/"
    assert [a.name for a in paper.authors.order_by("authorships__position")] == [
        "Ashish Vaswani",
        "Noam Shazeer",
    ]
    assert [tag.name for tag in paper.tags.all()] == ["cs.CL"]
    assert list(ModerationLog.objects.values_list("action", "reason")) == [
        ("edit", "Added the second author (changed: authors, tags)")
    ]
    case.refresh_from_db()
    assert (case.is_open, case.decision) == (False, "edit")


@pytest.mark.parametrize(
    "decision",
    [
        pytest.param("merge", id="merge"),
        pytest.param("suspend", id="suspend"),
        pytest.param("dismiss", id="dismiss"),
    ],
)
def test_deciding_a_paper_case_other_than_by_editing(
    mod_client, paper, other_user, third_user, decision
):
    duplicate = PaperFactory(title="Attention is all you need", arxiv_id="")
    Paper.objects.filter(pk=duplicate.pk).update(added_by=third_user)
    moderation.flag(other_user, duplicate, reason=FlagReason.WRONG_PAPER)
    case = open_case(duplicate)
    data = decide(decision, "Same paper", length="1d", merge_into=f"/papers/{paper.pk}/")

    response = mod_client.post(case_url(case), data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.is_open, case.decision) == (False, decision)


def test_deciding_to_merge_leaves_a_redirect(mod_client, paper, other_user):
    duplicate = PaperFactory(title="Attention is all you need", arxiv_id="")
    duplicate_pk = duplicate.pk
    moderation.flag(other_user, duplicate, reason=FlagReason.WRONG_PAPER)
    data = decide("merge", "Same paper", merge_into=paper.arxiv_id) | paper_fields(duplicate)

    response = mod_client.post(case_url(open_case(duplicate)), data)

    assert response.status_code == 302
    assert not Paper.objects.filter(pk=duplicate_pk).exists()
    assert PaperRedirect.objects.get(old_id=duplicate_pk).paper == paper
    assert Case.objects.get().paper == paper


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(decide("hide", ""), {"reason": ["This field is required."]}, id="no-reason"),
        pytest.param(
            decide("suspend"),
            {"length": ["Choose how long the suspension lasts."]},
            id="suspend-without-length",
        ),
        pytest.param(
            decide("edit"),
            {"decision": ["Select a valid choice. edit is not one of the available choices."]},
            id="decision-not-for-summaries",
        ),
        pytest.param(
            decide("hide", length="forever"),
            {"length": ["Select a valid choice. forever is not one of the available choices."]},
            id="unknown-length",
        ),
    ],
)
def test_an_invalid_decision_is_400_with_errors_and_changes_nothing(
    mod_client, summary, other_user, data, errors
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = open_case(summary)

    response = mod_client.post(case_url(case), data)

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    case.refresh_from_db()
    summary.refresh_from_db()
    assert (case.is_open, summary.is_hidden) == (True, False)
    assert not ModerationLog.objects.exists()
    assert not Suspension.objects.exists()


def test_merging_into_an_unknown_paper_is_400(mod_client, paper, other_user):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)
    case = open_case(paper)

    response = mod_client.post(case_url(case), decide("merge", merge_into="/papers/999999/"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "merge_into": ["No paper on ShortScience has that address or id."]
    }
    assert Paper.objects.filter(pk=paper.pk).exists()
    assert open_case(paper) == case


def test_merging_a_paper_into_itself_is_400_with_the_reason(mod_client, paper, other_user):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)
    case = open_case(paper)

    response = mod_client.post(case_url(case), decide("merge", merge_into=str(paper.pk)))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["A paper cannot be merged into itself."]
    assert open_case(paper) == case


def test_editing_a_paper_with_invalid_details_is_400(mod_client, paper, other_user):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)
    case = open_case(paper)
    data = decide("edit", "Fix") | paper_fields(paper, title="")

    response = mod_client.post(case_url(case), data)

    assert response.context["paper_form"].errors == {"title": ["This field is required."]}
    assert open_case(paper) == case
    assert response.status_code == 400


def test_a_decided_case_shows_the_decision_and_takes_no_other(
    mod_client, summary, other_user, moderator
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = open_case(summary)
    moderation.resolve(case, moderator, Case.Decision.DISMISS, "Not spam")

    response = mod_client.post(case_url(case), decide("hide", "Spam after all"), follow=True)

    summary.refresh_from_db()
    assert not summary.is_hidden
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["dismiss"]
    assert response.redirect_chain == [(case_url(case), 302)]
    assert "This case is decided already; nothing was changed." in text_of(response)
    assert "Dismiss the flags</strong> — “Not spam”" in text_of(response)
    assert "Spam after all" not in text_of(response)


def test_an_unknown_case_is_404_to_moderators(mod_client):
    response = mod_client.get("/moderation/cases/999999/")

    assert response.status_code == 404
