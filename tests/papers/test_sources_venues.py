import pytest

from papers.models import VenueAlias, normalize_venue_name
from papers.sources import venue_for
from tests.factories import VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def cvpr(db):
    return VenueFactory(short_name="CVPR", full_name="", slug="cvpr")


def test_venue_alias_is_stored_normalized(venue):
    alias = VenueAlias.objects.create(
        name="  Neural   Information Processing Systems. ", venue=venue
    )

    assert alias.name == "neural information processing systems"


def test_normalize_venue_name_keeps_only_words_and_ampersands():
    assert normalize_venue_name("Proc. of the 34th Int'l Conf. (ICML) — R&D") == (
        "proc of the 34th int l conf icml r&d"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Advances in Neural Information Processing Systems 30",
        "Advances in Neural Information Processing Systems 30 (NIPS 2017)",
        "Advances in Neural Information Processing Systems 30: Annual Conference on Neural "
        "Information Processing Systems 2017, December 4-9, 2017, Long Beach, CA, USA",
        "NeurIPS 2017",
        "NIPS",
        "nips",
        "Neural Information Processing Systems",
    ],
)
def test_venue_for_neurips_spellings(venue, icml, name):
    assert venue_for(name) == venue


@pytest.mark.parametrize(
    "name",
    [
        "Proc. of the 34th International Conference on Machine Learning",
        "Proceedings of the 34th International Conference on Machine Learning, ICML 2017, "
        "Sydney, NSW, Australia, 6-11 August 2017",
        "ICML",
        "International Conference on Machine Learning (ICML)",
    ],
)
def test_venue_for_icml_spellings(venue, icml, name):
    assert venue_for(name) == icml


def test_venue_for_dblp_booktitle_of_cvpr(venue, cvpr):
    name = (
        "2014 IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2014, "
        "Columbus, OH, USA, June 23-28, 2014"
    )

    assert venue_for(name) == cvpr


def test_venue_for_prefers_a_stored_alias(venue, icml):
    VenueAlias.objects.create(name="The Big ML Meeting", venue=icml)

    assert venue_for("the big ml meeting") == icml


def test_venue_for_uses_the_dblp_stream_of_the_key(venue, icml):
    assert venue_for("Somewhere Else", dblp_key="conf/icml/KolesnikovZB17") == icml


@pytest.mark.parametrize(
    "name",
    ["", "CoRR", "Nature", "Workshop on Machine Learning Systems at NeurIPS", "ICML Workshop"],
)
def test_venue_for_unknown_or_workshop_names_is_none(venue, icml, name):
    assert venue_for(name) is None


def test_venue_for_common_venue_matches_without_stored_aliases(db):
    tpami = VenueFactory(short_name="TPAMI", full_name="", slug="tpami")

    assert venue_for("IEEE Trans. Pattern Anal. Mach. Intell.") == tpami
    assert venue_for("IEEE Transactions on Pattern Analysis and Machine Intelligence") == tpami


def test_venue_for_costs_at_most_four_queries(venue, icml, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert venue_for("NeurIPS 2017") == venue
