"""Careless slips that still read: dates written the Chinese way, a date typed into a source."""

from __future__ import annotations

import datetime as dt
import re

from bulletin.i18n import _

# A date as editors type it (the forms the back-issue importer reads): 20240502,
# 2024-05-02, 2024-5-2, 2024/5/2, 2024.5.2, 2024年5月2日.
WRITTEN_DATE = (
    r"\d{8}|\d{4}\s*[-./／]\s*\d{1,2}\s*[-./／]\s*\d{1,2}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?"
)
_WHOLE_DATE = re.compile(rf"(?:{WRITTEN_DATE})")
_ENDING_DATE = re.compile(rf"(?P<before>.*?)[\s,，、]*(?P<date>{WRITTEN_DATE})$")


def written_date(text: str) -> dt.date | None:
    """20240416, 2024/4/16, 2024年4月16日 → that date; None when it is no real date."""
    if not _WHOLE_DATE.fullmatch(text.strip()):
        return None
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 1:
        numbers = [numbers[0][:4], numbers[0][4:6], numbers[0][6:]]
    try:
        return dt.date(*(int(n) for n in numbers))
    except ValueError:
        return None


def date_suggestion(text: str) -> str:
    """'; write 2024-05-09' for a date written another way, else nothing."""
    date = written_date(text)
    return _("; write {date}").format(date=date.isoformat()) if date else ""


def source_date_problem(source: str, date: dt.date | None) -> str | None:
    """A source that ends in a date prints it twice (or beside another): what to do."""
    match = _ENDING_DATE.fullmatch(source.strip())
    if match is None or not match["before"]:
        return None
    written = written_date(match["date"])
    if written is None:
        return None
    if date is None:
        return _(
            "the source ends in a date ({written}); move it to the date field: date: {date}"
        ).format(written=match["date"], date=written.isoformat())
    if written == date:
        return _(
            "the source ends in its date ({written}), which is printed from date: as well; "
            "remove it from the source"
        ).format(written=match["date"])
    return _(
        "the source ends in a date ({written}) that differs from date: {date}; remove it "
        "from the source and keep the right one in date:"
    ).format(written=match["date"], date=date.isoformat())
