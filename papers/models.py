import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from taggit.managers import TaggableManager


def normalize_name(name: str) -> str:
    """'Matthew W. Hoffman' and 'matthew w hoffman' are one author: accents, case,
    punctuation other than hyphens, and extra spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w\s-]", " ", letters.casefold())
    return " ".join(words.split())


# Paper pages live at /papers/<pk>/<slug>/, beside actions at /papers/<pk>/<action>/.
RESERVED_SLUGS = {"follow", "unfollow"}


class Venue(models.Model):
    """A conference or journal, e.g. NeurIPS; papers belong to one venue-year or none."""

    short_name = models.CharField(max_length=50, unique=True)
    full_name = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    # dblp's stream key, e.g. "conf/nips": links made for ShortScience.org use it.
    dblp_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dblp_key"], condition=~Q(dblp_key=""), name="papers_venue_dblp_key_unique"
            )
        ]

    def __str__(self):
        return self.short_name

    def year_url(self, year: int) -> str:
        return reverse("papers:venue_year", args=[self.slug, year])


class Author(models.Model):
    name = models.CharField(max_length=200)
    normalized_name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The search page's author filter matches part of a name.
            GinIndex(
                OpClass("normalized_name", name="gin_trgm_ops"), name="papers_author_name_trgm"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("papers:author", args=[self.pk, self.slug])

    @property
    def slug(self) -> str:
        return slugify(self.name) or "author"


class PaperQuerySet(models.QuerySet):
    def with_header(self):
        """Everything a paper header shows: venue, ordered authors and keywords."""
        return self.select_related("venue").prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author").order_by("position"),
            ),
            "tags",
        )

    def for_listing(self):
        # Paper.summary_count is a column PostgreSQL keeps (migration 0007): listings sort
        # by it through an index instead of counting summaries per paper.
        return self.with_header()


class Paper(models.Model):
    class Source(models.TextChoices):
        ARXIV = "arxiv", "arXiv"
        BIBSONOMY = "bibsonomy", "Bibsonomy"
        CROSSREF = "crossref", "DOI (Crossref)"
        DBLP = "dblp", "dblp"
        MANUAL = "manual", "Entered by hand"

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=80, blank=True)
    authors = models.ManyToManyField(Author, through="Authorship", related_name="papers")
    abstract = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(help_text="Year of first publication.")
    published_on = models.DateField(null=True, blank=True, help_text="Full date, when known.")
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="papers"
    )
    venue_year = models.PositiveSmallIntegerField(null=True, blank=True)
    tags = TaggableManager(
        "Keywords", blank=True, help_text="Comma-separated, e.g. cs.LG, optimization."
    )
    arxiv_id = models.CharField("arXiv id", max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    bibtex_key = models.CharField("BibTeX key", max_length=200, blank=True)
    url = models.URLField("Web page", max_length=500, blank=True)
    pdf_url = models.URLField("PDF", max_length=500, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Public summaries of the paper, counted by a trigger on summaries_summary; a save
    # from Django cannot change it (migration 0007), so a stale instance never undoes it.
    summary_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"]),
            models.Index(fields=["-summary_count", "-created_at", "-id"]),
            models.Index(fields=["year"]),
            # Near-duplicate titles are found by pg_trgm similarity of lower-cased titles.
            GinIndex(OpClass(Lower("title"), name="gin_trgm_ops"), name="papers_title_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["arxiv_id"], condition=~Q(arxiv_id=""), name="papers_paper_arxiv_id_unique"
            ),
            models.UniqueConstraint(
                fields=["doi"], condition=~Q(doi=""), name="papers_paper_doi_unique"
            ),
            models.UniqueConstraint(
                fields=["bibtex_key"],
                condition=~Q(bibtex_key=""),
                name="papers_paper_bibtex_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(venue__isnull=True, venue_year__isnull=True)
                | Q(venue__isnull=False, venue_year__isnull=False),
                name="papers_paper_venue_and_year_together",
            ),
            models.CheckConstraint(
                condition=Q(doi=models.functions.Lower("doi")), name="papers_paper_doi_lower"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:80].strip("-") or "paper"
        if self.slug in RESERVED_SLUGS:
            self.slug += "-paper"  # /papers/<pk>/follow/ is an action, not this page.
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("paper:detail", args=[self.pk, self.slug])

    @property
    def ordered_authors(self) -> list[Author]:
        """Authors in paper order; uses the prefetch from with_header() when present."""
        return [authorship.author for authorship in self.authorships.all()]

    def author_names(self) -> list[str]:
        """The authors' names in paper order, in one query (ordered_authors uses the
        prefetch of with_header() instead)."""
        return list(self.authorships.order_by("position").values_list("author__name", flat=True))

    @property
    def venue_url(self) -> str:
        return self.venue.year_url(self.venue_year) if self.venue else ""

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def arxiv_pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class Authorship(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "position"], name="papers_authorship_position"
            ),
            models.UniqueConstraint(fields=["paper", "author"], name="papers_authorship_once"),
        ]

    def __str__(self):
        return f"{self.author} on {self.paper}"


class Follow(models.Model):
    """A member follows a paper: they hear of each new summary of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "paper"], name="papers_follow_once"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.paper}"


class ViewCount(models.Model):
    """Reads of a paper page or a summary per day, written in batches (popularity.py)."""

    class Kind(models.TextChoices):
        PAPER = "paper"
        SUMMARY = "summary"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "day"], name="papers_viewcount_per_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "kind"])]

    def __str__(self):
        return f"{self.kind} {self.object_id} on {self.day}: {self.count}"


def normalize_venue_name(name: str) -> str:
    """'Proc. of the 34th Int. Conf. on Machine Learning (ICML)' ->
    'proc of the 34th int conf on machine learning icml': case, accents, punctuation other
    than & and extra spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w\s&]|_", " ", letters.casefold())
    return " ".join(words.split())


class VenueAlias(models.Model):
    """Another name of a venue as sources spell it ("nips", "advances in neural information
    processing systems"), stored normalized; papers.sources.venues.venue_for reads them."""

    name = models.CharField(max_length=300, unique=True)
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "venue aliases"

    def __str__(self):
        return f"{self.name} → {self.venue}"

    def save(self, *args, **kwargs):
        self.name = normalize_venue_name(self.name)
        super().save(*args, **kwargs)


class PaperRedirect(models.Model):
    """The address of a paper merged into another keeps working: /papers/<old_id>/..."""

    old_id = models.PositiveBigIntegerField(primary_key=True)
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"/papers/{self.old_id}/ → {self.paper_id}"


class PaperSearch(models.Model):
    """A paper's full-text document, written by database triggers (migration 0006), never
    by Python: title (weight A); authors, keywords and identifiers (B); abstract (C);
    and the paper's year and venue, which the search page filters on.

    It lives beside the paper rather than in it so that pages listing papers do not read
    the vectors, and a search scans a narrow table. English is the text search
    configuration (papers.search.CONFIG), for documents and queries alike.
    """

    paper = models.OneToOneField(
        Paper, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    document = SearchVectorField()
    # Copies of the paper's, so that the search page's filters on them need no join.
    year = models.PositiveSmallIntegerField()
    venue_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            GinIndex(fields=["document"], name="papers_search_document"),
            # With the GIN index, a filtered search is a BitmapAnd of two index scans.
            models.Index(fields=["year"], name="papers_search_year"),
            models.Index(fields=["venue_id"], name="papers_search_venue"),
        ]

    def __str__(self):
        return f"Search document of paper {self.paper_id}"


class SearchWord(models.Model):
    """A word of paper titles and author names, for "did you mean" suggestions.

    Triggers add words as papers and authors are written; ``ndoc`` counts the titles and
    names a word was added with (it only grows, a popularity hint, not an exact count).
    """

    word = models.CharField(max_length=40, primary_key=True)
    ndoc = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            GinIndex(OpClass("word", name="gin_trgm_ops"), name="papers_searchword_trgm"),
        ]

    def __str__(self):
        return self.word
