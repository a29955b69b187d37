"""A 60-page issue: built strictly, every article in the outline and on its contents page."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from benchmarks.large_issue import make_large_issue
from bulletin.operations.build import build


@pytest.mark.slow
def test_sixty_page_issue_builds_whole(tmp_path):
    issue = make_large_issue(tmp_path / "large", copies=10)
    result = build(issue, tmp_path / "large.pdf", strict=True)
    assert result.pages >= 55
    reader = PdfReader(result.output)
    assert len(reader.pages) == result.pages
    articles = [item for group in reader.outline if isinstance(group, list) for item in group]
    assert len(articles) == 110
    starts = [reader.get_destination_page_number(item) + 1 for item in articles]
    assert starts[-1] > 50
