"""The search documents that database triggers keep (papers 0006, summaries 0004).

Every test writes through the ORM or the services, as the site does, and reads the
documents back with the same kind of query the search page makes.
"""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from moderation import services as moderation
from papers.models import Author, Authorship, Paper, PaperSearch, SearchWord
from papers.search import websearch_query
from summaries.models import Summary, SummarySearch
from summaries.services import (
    cast_vote,
    delete_summary,
    update_summary,
)
from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def papers_found(text):
    return set(
        PaperSearch.objects.filter(document=websearch_query(text)).values_list(
            "paper_id", flat=True
        )
    )


def summaries_found(text):
    return set(
        SummarySearch.objects.filter(document=websearch_query(text)).values_list(
            "summary_id", flat=True
        )
    )


def paper_document(paper):
    return str(PaperSearch.objects.get(paper=paper).document)


def summary_document(summary):
    return str(SummarySearch.objects.get(summary=summary).document)


def weighted(text):
    """A raw tsquery, so that weights can be asked for: "attention:A"."""
    return SearchQuery(text, config="english", search_type="raw")


# Papers


def test_a_new_paper_gets_a_document_with_its_title_at_weight_a():
    paper = PaperFactory(
        title="Attention Is All You Need",
        authors=["Ashish Vaswani"],
        abstract="Recurrent networks dominate sequence transduction.",
    )

    document = paper_document(paper)
    assert "'attent':1A" in document
    assert "'vaswani':7B" in document
    assert "'recurr':9C" in document
    assert PaperSearch.objects.filter(document=weighted("attention:A")).get().paper == paper
    assert not PaperSearch.objects.filter(document=weighted("recurrent:A")).exists()
    assert PaperSearch.objects.filter(document=weighted("recurrent:C")).exists()
    assert PaperSearch.objects.filter(document=weighted("vaswani:B")).exists()


def test_every_field_of_a_new_paper_is_searchable():
    paper = PaperFactory(
        title="Deep Residual Learning",
        authors=["Kaiming He"],
        abstract="Shortcut connections ease optimisation.",
        arxiv_id="1512.03385",
        doi="10.1109/cvpr.2016.90",
        bibtex_key="conf/cvpr/HeZRS16",
    )
    paper.tags.add("cs.CV")

    for text in ["residual", "kaiming", "shortcut", "1512.03385", "10.1109/cvpr.2016.90"]:
        assert papers_found(text) == {paper.pk}, text
    assert papers_found("cs.CV") == {paper.pk}


def test_adding_an_author_makes_the_paper_findable_by_the_name():
    paper = PaperFactory(authors=["Ada Lovelace"])
    assert papers_found("hinton") == set()

    Authorship.objects.create(
        paper=paper, author=Author.objects.create(name="Geoffrey Hinton"), position=2
    )

    assert papers_found("hinton") == {paper.pk}
    assert papers_found("lovelace") == {paper.pk}


def test_removing_an_author_makes_the_paper_unfindable_by_the_name():
    paper = PaperFactory(authors=["Ada Lovelace", "Geoffrey Hinton"])

    Authorship.objects.filter(paper=paper, author__name="Geoffrey Hinton").delete()

    assert papers_found("hinton") == set()
    assert papers_found("lovelace") == {paper.pk}


def test_renaming_an_author_reindexes_each_of_their_papers():
    first = PaperFactory(authors=["Jon Smithers"])
    second = PaperFactory(authors=["Jon Smithers", "Ada Lovelace"])
    other = PaperFactory(authors=["Ada Lovelace"])

    author = Author.objects.get(name="Jon Smithers")
    author.name = "Jonathan Kowalczyk"
    author.save()

    assert papers_found("kowalczyk") == {first.pk, second.pk}
    assert papers_found("smithers") == set()
    assert papers_found("lovelace") == {second.pk, other.pk}


def test_adding_and_removing_a_keyword_reindexes_the_paper():
    paper = PaperFactory()

    paper.tags.add("reinforcement")
    assert papers_found("reinforcement") == {paper.pk}

    paper.tags.remove("reinforcement")
    assert papers_found("reinforcement") == set()


def test_renaming_a_keyword_reindexes_the_papers_that_have_it():
    paper = PaperFactory()
    paper.tags.add("bandits")

    tag = Tag.objects.get(name="bandits")
    tag.name = "optimization"
    tag.save()

    assert papers_found("optimization") == {paper.pk}
    assert papers_found("bandits") == set()


def test_editing_the_abstract_reindexes_the_paper():
    paper = PaperFactory(abstract="About convolutions.")

    paper.abstract = "About transformers."
    paper.save()

    assert papers_found("transformers") == {paper.pk}
    assert papers_found("convolutions") == set()


def test_editing_the_identifiers_reindexes_the_paper():
    paper = PaperFactory(arxiv_id="1706.03762", doi="")

    paper.arxiv_id = "1810.04805"
    paper.doi = "10.1038/nature14539"
    paper.save()

    assert papers_found("1810.04805") == {paper.pk}
    assert papers_found("10.1038/nature14539") == {paper.pk}
    assert papers_found("1706.03762") == set()


def test_renaming_a_paper_reindexes_it_at_weight_a():
    paper = PaperFactory(title="Dropout Regularization")

    Paper.objects.filter(pk=paper.pk).update(title="Batch Normalization")

    assert papers_found("normalization") == {paper.pk}
    assert papers_found("dropout") == set()
    assert "'normal':2A" in paper_document(paper)


def test_saving_a_paper_without_changing_searched_fields_keeps_its_document():
    paper = PaperFactory(title="Graph Attention Networks")
    before = paper_document(paper)

    Paper.objects.filter(pk=paper.pk).update(year=1999)

    assert paper_document(paper) == before


@pytest.mark.django_db(transaction=True)
def test_deleting_a_paper_with_authors_and_keywords_commits_and_leaves_no_document():
    paper = PaperFactory(authors=["Ada Lovelace", "Charles Babbage"])
    paper.tags.add("cs.LG", "math.OC")
    SummaryFactory(paper=paper)
    kept = PaperFactory(authors=["Ada Lovelace"])
    kept.tags.add("cs.LG")

    with transaction.atomic():  # Commits here: deferred foreign keys are checked.
        paper.delete()

    assert not PaperSearch.objects.filter(paper_id=paper.pk).exists()
    assert not SummarySearch.objects.filter(summary__paper_id=paper.pk).exists()
    assert papers_found("lovelace") == {kept.pk}
    assert papers_found("cs.LG") == {kept.pk}


def test_search_words_come_from_titles_and_author_names():
    PaperFactory(title="Neural Ordinary Differential Equations", authors=["Ricky Chen"])

    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"neural", "ordinary", "differential", "equations", "ricky", "chen"} <= words


def test_a_renamed_title_adds_its_words_to_the_search_words():
    paper = PaperFactory(title="Dropout Regularization")

    paper.title = "Stochastic Depth"
    paper.save()

    assert SearchWord.objects.filter(word="stochastic").exists()


def test_search_words_count_the_titles_they_came_with():
    PaperFactory(title="Learning Graphs")
    PaperFactory(title="Learning Trees")

    assert SearchWord.objects.get(word="learning").ndoc == 2
    assert SearchWord.objects.get(word="graphs").ndoc == 1


# Summaries


@pytest.fixture
def transformer_summary():
    return SummaryFactory(
        paper__title="Attention Is All You Need",
        body="The transformer replaces recurrence with self-attention.",
    )


def test_a_public_summary_gets_a_document_with_its_paper_title_at_weight_a(transformer_summary):
    document = summary_document(transformer_summary)

    assert "'attent':1A" in document
    assert summaries_found("transformer") == {transformer_summary.pk}
    assert summaries_found("recurrence") == {transformer_summary.pk}


def test_a_private_summary_has_no_document():
    summary = SummaryFactory(is_private=True, body="Private musings about kernels.")

    assert not SummarySearch.objects.filter(summary=summary).exists()
    assert summaries_found("kernels") == set()


def test_hiding_a_summary_removes_its_document_and_restoring_brings_it_back(
    transformer_summary, moderator
):
    moderation.hide(transformer_summary, moderator, "spam")
    assert not SummarySearch.objects.filter(summary=transformer_summary).exists()
    assert summaries_found("transformer") == set()

    moderation.restore(transformer_summary, moderator, "Restored")
    assert summaries_found("transformer") == {transformer_summary.pk}


def test_deleting_a_summary_removes_its_document_and_undeleting_brings_it_back(
    transformer_summary,
):
    delete_summary(transformer_summary)
    assert not SummarySearch.objects.filter(summary=transformer_summary).exists()

    Summary.objects.filter(pk=transformer_summary.pk).update(deleted_at=None)
    assert summaries_found("transformer") == {transformer_summary.pk}


def test_making_a_summary_private_removes_its_document_and_public_again_restores(
    transformer_summary,
):
    update_summary(
        transformer_summary,
        transformer_summary.author,
        body=transformer_summary.body,
        is_anonymous=False,
        is_private=True,
        base_version=1,
    )
    assert not SummarySearch.objects.filter(summary=transformer_summary).exists()

    update_summary(
        transformer_summary,
        transformer_summary.author,
        body=transformer_summary.body,
        is_anonymous=False,
        is_private=False,
        base_version=2,
    )
    assert summaries_found("transformer") == {transformer_summary.pk}


def test_editing_a_summary_reindexes_its_text(transformer_summary):
    update_summary(
        transformer_summary,
        transformer_summary.author,
        body="Convolutions are enough.",
        is_anonymous=False,
        is_private=False,
        base_version=1,
    )

    assert summaries_found("convolutions") == {transformer_summary.pk}
    assert summaries_found("transformer") == set()


def test_a_vote_leaves_the_document_as_it_was(transformer_summary, other_user):
    before = summary_document(transformer_summary)

    cast_vote(other_user, transformer_summary, 1)

    transformer_summary.refresh_from_db()
    assert transformer_summary.score == 1
    assert summary_document(transformer_summary) == before


def test_hiding_a_summary_that_is_already_deleted_keeps_it_out():
    summary = SummaryFactory(body="Words about kernels.", deleted_at=timezone.now())
    assert not SummarySearch.objects.filter(summary=summary).exists()

    Summary.objects.filter(pk=summary.pk).update(hidden_at=None, score=5)

    assert not SummarySearch.objects.filter(summary=summary).exists()


def test_renaming_the_paper_reindexes_its_summaries(transformer_summary):
    paper = transformer_summary.paper

    paper.title = "Convolutional Sequence Learning"
    paper.save()

    document = summary_document(transformer_summary)
    assert "'convolut':1A" in document
    assert "'need'" not in document
    assert summaries_found("convolutional") == {transformer_summary.pk}


def test_markup_is_not_indexed_only_the_text():
    summary = SummaryFactory(
        body_html='<p>Gradients <a href="https://example.org/secretword">vanish</a>'
        ' <span class="hiddenclass">quickly</span>.</p>'
    )

    assert summaries_found("secretword") == set()
    assert summaries_found("hiddenclass") == set()
    assert summaries_found("href") == set()
    assert summaries_found("vanish") == {summary.pk}
    assert summaries_found("gradients quickly") == {summary.pk}


def test_a_summary_by_another_member_on_the_same_paper_has_its_own_document(transformer_summary):
    second = SummaryFactory(paper=transformer_summary.paper, author=UserFactory(), body="Kernels.")

    assert summaries_found("attention") == {transformer_summary.pk, second.pk}
    assert summaries_found("kernels") == {second.pk}
