"""The bundled fonts: intact, Simplified Chinese, and coverage.txt true to their cmaps."""

from __future__ import annotations

import hashlib

import pytest
from fontTools.ttLib import TTFont

from bulletin.content.fonts import covered_codepoints
from bulletin.data import COVERAGE_NAME, FONT_FILES, fonts_dir

FONTS_DIR = fonts_dir()


@pytest.fixture(scope="module")
def fonts():
    return {name: TTFont(FONTS_DIR / name, lazy=True) for name in FONT_FILES}


def test_checksums_match(fonts):
    listed = dict(
        reversed(line.split("  ")) for line in (FONTS_DIR / "SHA256SUMS").read_text().splitlines()
    )
    for name in (*FONT_FILES, COVERAGE_NAME):
        assert hashlib.sha256((FONTS_DIR / name).read_bytes()).hexdigest() == listed[name]


def test_fonts_are_the_simplified_chinese_faces(fonts):
    for font in fonts.values():
        assert font["name"].getDebugName(1).endswith(" SC")
        assert "CJKsc-" in font["name"].getDebugName(6)


def test_half_width_alternates_survive_subsetting(fonts):
    for font in fonts.values():
        tags = {record.FeatureTag for record in font["GPOS"].table.FeatureList.FeatureRecord}
        assert "halt" in tags


def test_coverage_file_is_what_every_font_maps(fonts):
    mapped = [set(font.getBestCmap()) for font in fonts.values()]
    assert covered_codepoints() == frozenset(set.intersection(*mapped))


def test_coverage_has_the_general_standard_characters_and_punctuation():
    covered = covered_codepoints()
    for char in "中国双周决策观察“”‘’《》、，。；：！？（）【】——……·%0aA":
        assert ord(char) in covered, char
    assert len(covered) > 9000
