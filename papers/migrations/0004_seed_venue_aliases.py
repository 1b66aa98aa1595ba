"""Aliases of the common ML venues, for those Venue rows that exist.

No Venue rows are created here: the venue list is the site's to curate (and the test
suite expects an empty one). papers.sources.venues.COMMON_VENUES has the same aliases
and applies them to venues added later; this copy is frozen, as migrations must be.
"""

from django.db import migrations

ALIASES = {
    # (dblp key, short name): aliases, already normalized.
    ("conf/nips", "NeurIPS"): [
        "neurips",
        "nips",
        "neural information processing systems",
        "advances in neural information processing systems",
    ],
    ("conf/icml", "ICML"): ["icml", "international conference on machine learning"],
    ("conf/iclr", "ICLR"): ["iclr", "international conference on learning representations"],
    ("conf/cvpr", "CVPR"): [
        "cvpr",
        "computer vision and pattern recognition",
        "ieee conference on computer vision and pattern recognition",
        "ieee cvf conference on computer vision and pattern recognition",
    ],
    ("conf/iccv", "ICCV"): [
        "iccv",
        "international conference on computer vision",
        "ieee international conference on computer vision",
        "ieee cvf international conference on computer vision",
    ],
    ("conf/eccv", "ECCV"): ["eccv", "european conference on computer vision"],
    ("conf/acl", "ACL"): [
        "acl",
        "annual meeting of the association for computational linguistics",
    ],
    ("conf/emnlp", "EMNLP"): [
        "emnlp",
        "empirical methods in natural language processing",
        "conference on empirical methods in natural language processing",
    ],
    ("conf/naacl", "NAACL"): [
        "naacl",
        "naacl hlt",
        "north american chapter of the association for computational linguistics",
    ],
    ("conf/aaai", "AAAI"): ["aaai", "aaai conference on artificial intelligence"],
    ("conf/ijcai", "IJCAI"): [
        "ijcai",
        "international joint conference on artificial intelligence",
    ],
    ("journals/jmlr", "JMLR"): [
        "jmlr",
        "journal of machine learning research",
        "j mach learn res",
    ],
    ("journals/pami", "TPAMI"): [
        "tpami",
        "pami",
        "ieee transactions on pattern analysis and machine intelligence",
        "ieee trans pattern anal mach intell",
    ],
    ("journals/tnn", "TNN"): [
        "tnn",
        "ieee transactions on neural networks",
        "ieee trans neural networks",
    ],
}


def seed_aliases(apps, schema_editor):
    Venue = apps.get_model("papers", "Venue")
    VenueAlias = apps.get_model("papers", "VenueAlias")
    for (dblp_key, short_name), aliases in ALIASES.items():
        venue = (
            Venue.objects.filter(dblp_key=dblp_key).first()
            or Venue.objects.filter(short_name__iexact=short_name).first()
        )
        if venue is None:
            continue
        for name in aliases:
            VenueAlias.objects.get_or_create(name=name, defaults={"venue": venue})


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0003_venue_aliases"),
    ]

    operations = [
        migrations.RunPython(seed_aliases, migrations.RunPython.noop),
    ]
