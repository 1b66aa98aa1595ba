import datetime

from papers.templatetags.papers_extras import ago


def test_ago_gives_whole_years_for_a_date_years_back():
    today = datetime.date.today()  # noqa: DTZ011 - the filter takes calendar dates
    eight_years_back = datetime.date(today.year - 8, today.month, 1)

    result = ago(eight_years_back)

    assert result == "8\xa0years ago"


def test_ago_gives_the_largest_unit_only():
    now = datetime.datetime.now(tz=datetime.UTC)

    result = ago(now - datetime.timedelta(days=400))

    assert result == "1\xa0year ago"


def test_ago_is_empty_without_a_date():
    assert (ago(None), ago("")) == ("", "")
