"""Which papers \\cite{key} in a summary points at."""

from django.db.models import Q

from shortscience.rendering import resolves_citations

from .identifiers import arxiv_id_from_dblp_key
from .models import Paper


@resolves_citations
def lookup_citations(keys: set[str]) -> dict[str, tuple[str, str]]:
    """Map each known BibTeX/dblp key to (paper URL, link text); unknown keys are left out."""
    if not keys:
        return {}
    arxiv_ids = {key: arxiv_id for key in keys if (arxiv_id := arxiv_id_from_dblp_key(key))}
    papers = Paper.objects.filter(Q(bibtex_key__in=keys) | Q(arxiv_id__in=arxiv_ids.values()))
    by_key = {paper.bibtex_key: paper for paper in papers if paper.bibtex_key}
    by_arxiv = {paper.arxiv_id: paper for paper in papers if paper.arxiv_id}
    found = {}
    for key in keys:
        paper = by_key.get(key) or by_arxiv.get(arxiv_ids.get(key, ""))
        if paper:
            found[key] = (paper.get_absolute_url(), paper.title)
    return found
