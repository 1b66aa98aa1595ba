import datetime
from pathlib import Path

import pytest

from papers.sources import Malformed, parse_bibtex

pytestmark = [pytest.mark.integration]

DATA = Path(__file__).parents[1] / "data" / "sources"


def test_parse_bibtex_decodes_latex_and_reads_several_entries():
    text = (DATA / "pasted_accents.bib").read_text()

    uber, attention = parse_bibtex(text)

    assert uber.title == "Über die Berechnung von Neuronalen Netzen: a étude"
    assert uber.authors == ["Thomas Müller", "José García", "Paul Erdős", "Hans Peter Straße"]
    assert uber.venue_name == "Zeitschrift für Maschinelles Lernen"
    assert (uber.year, uber.published_on) == (2020, datetime.date(2020, 3, 14))
    assert uber.doi == "10.1234/zml.2020.001"
    assert uber.bibtex_key == "muller2020uber"
    assert uber.abstract == "We compute things across lines."
    assert uber.tags == ["neural networks", "optimisation", "Jacobians"]
    assert (uber.arxiv_id, uber.source) == ("", "dblp")
    assert attention.title == "Attention Is All You Need"
    assert attention.arxiv_id == "1706.03762"
    assert (attention.year, attention.published_on) == (2017, None)
    assert attention.bibtex_key == "vaswani2017attention"


def test_parse_bibtex_takes_the_source_it_is_given():
    text = (DATA / "bibsonomy_2bengio.bib").read_text()

    [record] = parse_bibtex(text, source="bibsonomy")

    assert record.source == "bibsonomy"


def test_parse_bibtex_names_the_line_of_a_broken_entry():
    text = (DATA / "malformed.bib").read_text()

    with pytest.raises(Malformed) as error:
        parse_bibtex(text)

    assert str(error.value) == (
        "The BibTeX could not be read on line 7: Unexpected block start: `@inproceedings`. "
        "Was still looking for field-value closing `}`"
    )


def test_parse_bibtex_without_entries_is_malformed():
    with pytest.raises(Malformed, match=r"^The text has no BibTeX entry"):
        parse_bibtex("% just a comment\n")


def test_parse_bibtex_entry_without_authors_or_year_names_them():
    text = (DATA / "no_author_no_year.bib").read_text()

    with pytest.raises(Malformed) as error:
        parse_bibtex(text)

    assert str(error.value) == (
        "The BibTeX entry 'anonymous' has no authors or year, so it cannot be imported."
    )


def test_parse_bibtex_duplicate_keys_are_malformed():
    entry = "@misc{same, title={A}, author={Ada Lovelace}, year={2019}}\n"

    with pytest.raises(Malformed, match="Duplicate entry key 'same'"):
        parse_bibtex(entry + entry)
