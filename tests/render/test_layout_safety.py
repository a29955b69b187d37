"""A layout of the user's, or an article's markup, cannot read outside the project, exhaust
the machine or end in an internal error: each ends in one located line."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.data import layouts_dir

runner = CliRunner()


def own_layout(sample_copy, name: str = "own"):
    folder = sample_copy.parent / "layouts" / name
    folder.mkdir(parents=True)
    for path in (layouts_dir() / "default").glob("*.*"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def with_body(folder, markup: str) -> None:
    template = folder / "issue.html.j2"
    text = template.read_text(encoding="utf-8").replace("<body>", "<body>" + markup, 1)
    template.write_text(text, encoding="utf-8")


def build(sample_copy, *arguments: str):
    return runner.invoke(app, ["build", str(sample_copy), "-o", "x.pdf", *arguments])


@pytest.fixture
def inside(sample_copy, monkeypatch):
    monkeypatch.chdir(sample_copy.parent)
    (sample_copy.parent / "secret.txt").write_text("SECRET OUTSIDE THE LAYOUT")
    return sample_copy


def test_a_template_cannot_include_a_file_linked_from_outside(inside):
    folder = own_layout(inside)
    os.symlink(inside.parent / "secret.txt", folder / "passwd.txt")
    with_body(folder, '<pre>{% include "passwd.txt" %}</pre>')
    result = build(inside, "--layout", "own")
    assert result.exit_code == 1
    assert result.stderr == (
        "layouts/own/passwd.txt: layout: a link to a file outside the layout folder; "
        "copy the file itself into it\n"
    )
    assert not (inside.parent / "x.pdf").exists()


def test_a_layout_folder_that_links_out_is_refused(inside, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "evil"
    own_layout(inside, "real").rename(elsewhere)
    (inside.parent / "layouts").mkdir(exist_ok=True)
    os.symlink(elsewhere, inside.parent / "layouts" / "evil")
    result = build(inside, "--layout", "evil")
    assert result.exit_code == 1
    assert result.stderr == "layouts/evil: layout: a link to a folder outside layouts\n"


def test_the_e_edition_copies_no_stylesheet_linked_from_outside(inside):
    folder = own_layout(inside)
    (folder / "web.css").unlink()
    os.symlink(inside.parent / "secret.txt", folder / "web.css")
    result = runner.invoke(app, ["build", str(inside), "--web", "-o", "web", "--layout", "own"])
    assert result.exit_code == 1
    assert "layouts/own/web.css: layout: a link to a file outside" in result.stderr
    assert not any("SECRET" in p.read_text() for p in (inside.parent / "web").rglob("*.css"))


@pytest.mark.parametrize(
    "markup",
    [
        "{{ range(10**9)|list|length }}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
        "{{ 'x' * 10**10 }}",
        "{{ 2 ** 100000000 }}",
    ],
)
def test_a_template_that_computes_too_much_is_one_line(inside, markup):
    with_body(own_layout(inside), markup)
    result = build(inside, "--layout", "own")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert ": template: " in line and "internal error" not in line


@pytest.mark.engine_warnings
def test_a_layout_without_styles_still_builds(inside):
    (own_layout(inside) / "style.css").write_text("")
    result = build(inside, "--layout", "own")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("*" * 400 + "字" + "*" * 400, "markup nested more than 20 deep"),
        ("见" + "x" * 3000, "a run of 3000 characters without a space; at most 2000"),
        ("|" + "列|" * 40 + "\n|" + "-|" * 40 + "\n|" + "1|" * 40, "a table of 40 columns"),
    ],
)
def test_markup_the_engine_cannot_set_in_time_is_refused_by_check(issue_factory, body, message):
    issue_factory.article("02", body=body + "\n")
    result = runner.invoke(app, ["check", str(issue_factory.dir)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("2024-08/articles/02.md:") and message in line


def test_a_catalogue_nested_too_deep_is_one_line(tmp_path):
    (tmp_path / "catalogue.json").write_text("[" * 100_000)
    result = runner.invoke(app, ["archive", "--verify", str(tmp_path)])
    assert result.exit_code == 1
    # Refused by its depth before it is parsed (outputs/archive_files.py), in one line.
    assert result.output.count("\n") == 1
    assert "nested more than 16 deep" in result.output and "internal error" not in result.output


USE_BOMB = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<g id="a0"><rect width="1" height="1"/></g>'
    + "".join(
        f'<g id="a{n}">' + f'<use xlink:href="#a{n - 1}"/>' * 10 + "</g>" for n in range(1, 30)
    )
    + "</svg>"
)
WRAPPED_PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<image xlink:href="big.png" width="10" height="10"/></svg>'
)


@pytest.mark.parametrize(
    ("drawing", "message"),
    [
        (USE_BOMB, "too large or too repetitive"),
        (WRAPPED_PICTURE, "holding a picture of its own"),
        ('<!DOCTYPE svg [<!ENTITY a "b">]><svg></svg>', "not a PNG, JPEG, GIF, WebP or SVG"),
        ('<?xml version="1.0"?><!DOCTYPE svg><svg></svg>', "too large or too repetitive"),
    ],
)
def test_svg_drawings_are_inspected_before_they_are_drawn(issue_factory, drawing, message):
    issue_factory.write("a.svg", drawing)
    issue_factory.article("02", body="![图](a.svg)\n")
    result = runner.invoke(app, ["check", str(issue_factory.dir)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("2024-08/articles/02.md:") and message in line
