"""Property tests: whatever the input, the loader and the importer raise only their own errors."""

from __future__ import annotations

import contextlib
import tempfile
import time
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
    """Load an issue with these files replaced; only the project's own errors may come out."""
    load_with_errors(files)


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


# ---- budgets (issue 11) and editors' slips (issue 16)

JARGON = ("mapping values", "expected <", "malformed YAML", "found character", "could not find")
SLIPPY = st.text(alphabet="：　＂“”‘’[]{}:\"'\t-—#*&上海标题ab 12", max_size=40)
NESTING = st.recursive(
    st.just("x"),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(inner, max_size=3).map(
            lambda items: "{" + ", ".join(f"k{i}: {v}" for i, v in enumerate(items)) + "}"
        ),
    ),
    max_leaves=60,
)


def load_with_errors(files: dict[str, bytes]) -> list[str]:
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
        try:
            load_issue(issue)
        except BulletinError as error:
            return error.lines()
        return []


@SETTINGS
@given(SLIPPY, SLIPPY)
def test_slips_in_front_matter_never_reach_the_user_as_parser_words(key_tail, value):
    fields = f"region{key_tail}上海\ntitle: {value}\nsource: 上海证券报\ndate: 2024-04-16"
    lines = load_with_errors({"2024-08/articles/01.md": f"---\n{fields}\n---\n正文。\n".encode()})
    assert not any(word in line for line in lines for word in JARGON), lines
    assert all("2024-08/articles/01.md:" in line for line in lines), lines


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 400), st.sampled_from(["[", "{a: "]))
def test_any_nesting_depth_is_read_or_refused_in_one_line(depth, opening):
    closing = "]" if opening == "[" else "}"
    nested = opening * depth + "x" + closing * depth
    lines = load_with_errors({"2024-08/issue.yaml": (ISSUE + f"editors: {nested}\n").encode()})
    deep = [line for line in lines if "levels deep" in line]
    assert len(deep) == (depth > 19)  # the value of editors is one level, each bracket one more


@settings(max_examples=60, deadline=None)
@given(NESTING)
def test_any_flow_structure_gives_only_content_errors(value):
    load_with_errors({"2024-08/issue.yaml": (ISSUE + f"editors: {value}\n").encode()})


@SETTINGS
@given(st.text(alphabet="{}:!<>^=0123456789dxsr.,_ayearnumbcl", max_size=40))
def test_any_address_template_is_judged_quickly_and_stays_short(template):
    from bulletin.content.models import MAX_URL_CHARS, url_template

    started = time.perf_counter()
    try:
        url_template("https://x.org/" + template)
    except ValueError as error:
        assert "Traceback" not in str(error)
    else:
        filled = ("https://x.org/" + template).format(
            year=2999, number=99, cumulative=999_999, slug="x" * 40
        )
        assert len(filled) <= MAX_URL_CHARS
    assert time.perf_counter() - started < 0.5  # a padding format would take a minute


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 2_000))
def test_any_address_length_is_accepted_only_within_its_budget(length):
    url = "https://x.org/" + "w" * length
    line = f"wechat_url: {url}"
    text = "\n".join(line if r.startswith("wechat_url:") else r for r in PUBLICATION.splitlines())
    lines = load_with_errors({"publication.yaml": (text + "\n").encode()})
    assert bool(lines) == (len(url) > 500)
    assert all("expected at most 500" in line for line in lines)


@SETTINGS
@given(st.integers(1, 2**31 - 1), st.integers(1, 2**31 - 1))
def test_any_image_header_is_measured_before_decoding(width, height):
    import io
    from unittest import mock

    from PIL import Image

    from bulletin.content.pictures import MAX_IMAGE_PIXELS, picture_problem
    from tests.corpus.build import png

    data = png(width, height)
    if width * height > MAX_IMAGE_PIXELS:
        # Refused from the header alone: the picture is never opened for decoding.
        with mock.patch.object(Image, "open", side_effect=AssertionError("decoded")):
            problem = picture_problem(io.BytesIO(data))
        assert problem is not None and "megapixels" in problem
    else:
        assert picture_problem(io.BytesIO(data)) is None
