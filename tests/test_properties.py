"""Property tests: whatever the input, the loader and the importer raise only their own errors."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.content.loader import load_issue
from bulletin.errors import BulletinError
from bulletin.importers.text import import_text
from tests.conftest import ARTICLE, ISSUE, PUBLICATION, SEED

# A missing fixture is an error here, never silently empty input.
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
FIELD_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
YAMLISH = st.text(alphabet=":-[]{}&*!|>#'\"\n\t 0123456789abc上海年期—", max_size=300)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_with(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        issue = root / "2024-08"
        (issue / "articles").mkdir(parents=True)
        defaults = {
            "publication.yaml": PUBLICATION.encode(),
            "2024-08/issue.yaml": ISSUE.encode(),
            "2024-08/articles/01.md": ARTICLE.encode(),
        }
        for name, data in {**defaults, **files}.items():
            (root / name).write_bytes(data)
        with contextlib.suppress(BulletinError):
            load_issue(issue)


@SETTINGS
@given(
    st.sampled_from(["publication.yaml", "2024-08/issue.yaml", "2024-08/articles/01.md"]),
    st.one_of(st.binary(max_size=300), YAMLISH.map(str.encode), FIELD_TEXT.map(str.encode)),
)
def test_any_file_content_gives_only_content_errors(name, data):
    load_with({name: data})


@SETTINGS
@given(FIELD_TEXT, FIELD_TEXT, YAMLISH)
def test_any_front_matter_values_give_only_content_errors(title, source, date):
    article = f"---\nregion: 上海\ntitle: {title}\nsource: {source}\ndate: {date}\n---\n正文。\n"
    load_with({"2024-08/articles/01.md": article.encode("utf-8", "surrogatepass")})


@SETTINGS
@given(st.text(max_size=2000))
def test_any_text_imports_or_gives_only_import_errors(text):
    with contextlib.suppress(BulletinError):
        import_text(text)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, max(len(SEED_LINES) - 1, 0)),
            st.sampled_from(["drop", "dup", "garble", "swap"]),
            FIELD_TEXT,
        ),
        max_size=8,
    )
)
def test_damaged_seed_imports_or_gives_only_import_errors(edits):
    lines = list(SEED_LINES)
    for index, kind, noise in edits:
        if not lines:
            break
        index %= len(lines)
        if kind == "drop":
            del lines[index]
        elif kind == "dup":
            lines.insert(index, lines[index])
        elif kind == "garble":
            lines[index] = noise
        else:
            lines[index], lines[-1] = lines[-1], lines[index]
    with contextlib.suppress(BulletinError):
        import_text("\n".join(lines))
