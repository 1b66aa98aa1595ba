"""Which Venue a source's journal or conference name means.

Sources spell one venue many ways: "Advances in Neural Information Processing Systems 30",
"NeurIPS 2017", "NIPS", or dblp's "Proceedings of the 34th International Conference on
Machine Learning, ICML 2017, Sydney, NSW, Australia, 6-11 August 2017".
"""

import re

from papers.models import Venue, VenueAlias, normalize_venue_name

# The venues members summarise most, with the names sources give them (normalized: see
# papers.models.normalize_venue_name). venue_for uses these for any Venue row with this
# dblp key or short name, so they work before an admin adds VenueAlias rows; migration
# 0004 stores them as rows for the venues that exist. Keep the two lists in step.
COMMON_VENUES = {
    # dblp key: (short name, full name, aliases)
    "conf/nips": (
        "NeurIPS",
        "Advances in Neural Information Processing Systems",
        [
            "neurips",
            "nips",
            "neural information processing systems",
            "advances in neural information processing systems",
        ],
    ),
    "conf/icml": (
        "ICML",
        "International Conference on Machine Learning",
        ["icml", "international conference on machine learning"],
    ),
    "conf/iclr": (
        "ICLR",
        "International Conference on Learning Representations",
        ["iclr", "international conference on learning representations"],
    ),
    "conf/cvpr": (
        "CVPR",
        "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        [
            "cvpr",
            "computer vision and pattern recognition",
            "ieee conference on computer vision and pattern recognition",
            "ieee cvf conference on computer vision and pattern recognition",
        ],
    ),
    "conf/iccv": (
        "ICCV",
        "IEEE/CVF International Conference on Computer Vision",
        [
            "iccv",
            "international conference on computer vision",
            "ieee international conference on computer vision",
            "ieee cvf international conference on computer vision",
        ],
    ),
    "conf/eccv": (
        "ECCV",
        "European Conference on Computer Vision",
        ["eccv", "european conference on computer vision"],
    ),
    "conf/acl": (
        "ACL",
        "Annual Meeting of the Association for Computational Linguistics",
        ["acl", "annual meeting of the association for computational linguistics"],
    ),
    "conf/emnlp": (
        "EMNLP",
        "Conference on Empirical Methods in Natural Language Processing",
        [
            "emnlp",
            "empirical methods in natural language processing",
            "conference on empirical methods in natural language processing",
        ],
    ),
    "conf/naacl": (
        "NAACL",
        "North American Chapter of the Association for Computational Linguistics",
        [
            "naacl",
            "naacl hlt",
            "north american chapter of the association for computational linguistics",
        ],
    ),
    "conf/aaai": (
        "AAAI",
        "AAAI Conference on Artificial Intelligence",
        ["aaai", "aaai conference on artificial intelligence"],
    ),
    "conf/ijcai": (
        "IJCAI",
        "International Joint Conference on Artificial Intelligence",
        ["ijcai", "international joint conference on artificial intelligence"],
    ),
    "journals/jmlr": (
        "JMLR",
        "Journal of Machine Learning Research",
        ["jmlr", "journal of machine learning research", "j mach learn res"],
    ),
    "journals/pami": (
        "TPAMI",
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        [
            "tpami",
            "pami",
            "ieee transactions on pattern analysis and machine intelligence",
            "ieee trans pattern anal mach intell",
        ],
    ),
    "journals/tnn": (
        "TNN",
        "IEEE Transactions on Neural Networks",
        ["tnn", "ieee transactions on neural networks", "ieee trans neural networks"],
    ),
}

# Words that differ between editions and spellings of one venue, not between venues.
# "international", "european", "workshop" and "findings" stay: they tell venues apart.
NOISE_WORDS = {"proceedings", "proc", "of", "the", "annual", "conference", "conf", "on", "in"}
NUMBER = re.compile(r"^(\d+(st|nd|rd|th)?|first|second|third)$")
# dblp's booktitles list the venue's full name, its acronym and year, and the place and
# dates, separated by commas or colons; each part gets a chance of its own.
PARTS = re.compile(r"[,:;()\[\]]|\s[-\u2013\u2014]\s")  # Hyphen, en and em dashes.


def strip_noise(normalized: str) -> str:
    """'proc of the 34th international conference on machine learning' ->
    'international machine learning'."""
    return " ".join(
        word for word in normalized.split() if word not in NOISE_WORDS and not NUMBER.match(word)
    )


def venue_for(venue_name: str, *, dblp_key: str = "") -> Venue | None:
    """The Venue ``venue_name`` means, or None.

    1. An alias equal to the normalized name.
    2. A venue whose dblp stream (conf/nips) starts the record's dblp key, if given.
    3. The name, then each of its comma/colon-separated parts, without numbers, years,
       ordinals and words like "proceedings of the", against every alias and every
       venue's short and full name stripped the same way.
    """
    normalized = normalize_venue_name(venue_name)
    if normalized and (
        alias := VenueAlias.objects.select_related("venue").filter(name=normalized).first()
    ):
        return alias.venue
    # dblp keys name their stream: conf/nips/VaswaniSPUJGKP17 is in conf/nips.
    stream = "/".join(dblp_key.removeprefix("DBLP:").split("/")[:2])
    if stream.count("/") == 1 and (venue := Venue.objects.filter(dblp_key=stream).first()):
        return venue
    candidates = [strip_noise(normalized)] + [
        strip_noise(normalize_venue_name(part)) for part in PARTS.split(venue_name)
    ]
    candidates = [candidate for candidate in dict.fromkeys(candidates) if candidate]
    if not candidates:
        return None
    known = known_names()
    for candidate in candidates:
        if venue_id := known.get(candidate):
            return Venue.objects.get(pk=venue_id)
    return None


def known_names() -> dict[str, int]:
    """Stripped names -> venue id: aliases stored, then venues' own names, then the
    COMMON_VENUES aliases of venues that exist (matched by dblp key or short name)."""
    names: dict[str, int] = {}
    for name, venue_id in VenueAlias.objects.values_list("name", "venue_id"):
        names.setdefault(strip_noise(name), venue_id)
    venues = Venue.objects.values_list("short_name", "full_name", "dblp_key", "pk")
    common_by_short_name = {short: key for key, (short, _, _) in COMMON_VENUES.items()}
    for short_name, full_name, dblp_key, venue_id in venues:
        for name in (short_name, full_name):
            names.setdefault(strip_noise(normalize_venue_name(name)), venue_id)
        key = dblp_key if dblp_key in COMMON_VENUES else common_by_short_name.get(short_name)
        for alias in COMMON_VENUES[key][2] if key else []:
            names.setdefault(strip_noise(alias), venue_id)
    names.pop("", None)
    return names
