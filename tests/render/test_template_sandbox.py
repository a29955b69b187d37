"""Layout templates from a stranger: they get plain data, and every escape from the sandbox or
its budgets is one located line and exit 1 — no code run, no file read, nothing written."""

from __future__ import annotations

import datetime as dt
import pickle
import re
import shutil

import jinja2
import pytest
from markupsafe import Markup
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import find_publication_file, load_issue
from bulletin.data import layouts_dir
from bulletin.render import budgets
from bulletin.render.html import render_issue
from bulletin.render.layouts import compact_date
from bulletin.render.sandbox import LayoutEnvironment, TemplateFunction, render_template
from bulletin.site.addresses import site_base_url
from bulletin.site.media import gather_media
from bulletin.site.pages import SiteRenderer, site_layout
from bulletin.site.records import load_site, plan_site
from tests.conftest import REPO, SAMPLE_ISSUE

runner = CliRunner()
MARKER = "RAN-A-COMMAND"


class Shell:
    """What a pickle runs when it is loaded: a command that leaves a file behind."""

    def __reduce__(self):
        import os

        return (os.system, (f"touch {MARKER}",))


PICKLE = pickle.dumps(Shell(), protocol=0).decode("ascii")


@pytest.fixture
def stranger(sample_copy, monkeypatch):
    """A content folder from a stranger: its own layout (`own`), named by publication.yaml."""
    root = sample_copy.parent
    monkeypatch.chdir(root)
    (root / "secret.txt").write_text("SECRET OUTSIDE THE LAYOUT")
    shutil.copytree(layouts_dir() / "default", root / "layouts" / "own")
    publication = root / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    publication.write_text(re.sub(r"(?m)^layout: .*$", "layout: own", text), encoding="utf-8")
    return sample_copy


def with_markup(root, template: str, markup: str, after: str) -> int:
    """Put `markup` on a line of its own after `after`; its line number."""
    path = root / "layouts" / "own" / template
    text = path.read_text(encoding="utf-8")
    text = text.replace(after, after + "\n" + markup + "\n", 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(markup)].count("\n") + 1


def refused(result, template: str, line: int, message: str, root) -> None:
    assert result.exit_code == 1, result.output
    (said,) = result.stderr.splitlines()
    assert said.startswith(f"layouts/own/{template}:{line}: template: "), said
    assert message in said, said
    assert "internal error" not in said and "Traceback" not in said
    assert not (root / MARKER).exists()
    assert "SECRET" not in said


ESCAPES = [
    ("{{ content.model_validate_json('{}') }}", "'dict object' has no attribute"),
    ("{{ issue.__class__ }}", "cannot read __class__ of a dict"),
    ("{{ issue.__class__.__base__.parse_file('/etc/passwd') }}", "cannot read __class__"),
    (
        "{{ content.parse_raw('" + PICKLE.replace("\n", "\\n") + "', content_type='pickle', "
        "allow_pickle=True) }}",
        "'dict object' has no attribute 'parse_raw'",
    ),
    ("{{ publication.parse_file('../secret.txt', allow_pickle=True) }}", "no attribute"),
    ("{{ ''.__class__.__mro__ }}", "cannot read __class__ of a str"),
    ("{{ cycler.__init__.__globals__ }}", "cannot read __init__ of a type"),
    ("{{ joiner.__call__ }}", "cannot read __call__ of a type"),
    ("{{ lipsum(1000000000) }}", "'lipsum' is undefined"),
    ("{{ self.__init__.__globals__ }}", "cannot read __init__ of a TemplateReference"),
    ("{{ self._TemplateReference__context }}", "cannot read _TemplateReference__context"),
    ("{{ self.nothing_by_that_name }}", "has no attribute 'nothing_by_that_name'"),
    ("{{ self['__class__'] }}", "cannot read __class__ of a TemplateReference"),
    ("{{ namespace.__init__.__globals__ }}", "cannot read __init__ of a type"),
    ("{% set ns = namespace() %}{{ ns.__class__.__mro__ }}", "cannot read __class__"),
    ("{{ anchor.function.__globals__ }}", "cannot read function of a TemplateFunction"),
    ("{{ body_html.__call__ }}", "cannot read __call__ of a TemplateFunction"),
    ("{{ publication.name.encode() }}", "cannot read encode of a str"),
    ("{{ issue.print_date.today() }}", "cannot read today of a date"),
    ("{{ (sections|map('first')).gi_frame }}", "cannot read gi_frame of a generator"),
    ("{{ wechat_qr.items().__class__ }}", "cannot read __class__ of a dict_items"),
    ("{{ range(10**9)|list|length }}", "a range of 1,000,000,000 numbers"),
    ("{{ 'x' * 10**9 }}", "builds a text of 1,000,000,000 characters"),
    ("{{ 'a'.center(1500000000) }}", "builds a text of 1,500,000,000 characters"),
    ("{{ 'a'|center(1500000000) }}", "builds a text of 1,500,000,000 characters"),
    ("{{ 'a'.ljust(10**9) }}", "builds a text of"),
    ("{{ ('x' * 999999).replace('x', 'yy') }}", "builds a text of 1,999,998 characters"),
    ("{{ ('x' * 100000)|replace('x', 'x' * 100) }}", "builds a text of"),
    ("{{ ('x' * 999999)|list|join('yy') }}", "builds a text of"),
    ("{{ '{:>1500000000}'.format(1) }}", "a width or precision of 1,500,000,000"),
    ("{{ '{:{w}}'.format(1, w=10**9) }}", "a field inside a field"),
    ("{{ '%1500000000d'|format(1) }}", "a width or precision of 1,500,000,000"),
    ("{{ '%*d' % (10**9, 1) }}", "a width taken from the values"),
    ("{{ 2 ** 100000000 }}", "a power over 100"),
    (
        "{% set ns = namespace(n=3) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
        "{% endfor %}",
        "a number of more than 4,096 bits",
    ),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}",
        "builds a text of",
    ),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}",
        "builds a text of",
    ),
    (
        "{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}"
        "{% endfor %}{{ ns.l == ns.l }}",
        "builds a list of more than 1,000,000 items",
    ),
    (
        "{% set ns = namespace(l=[none]) %}{% for i in range(60) %}"
        "{% set ns.l = [none, none]|map('default', ns.l, true)|list %}{% endfor %}",
        "builds a list of more than 1,000,000 items",
    ),
    ("{{ (range(100000)|list) * 100 }}", "builds a list of more than 1,000,000 items"),
    ("{{ [1]|batch(10**9, 0)|list }}", "builds a list of more than 1,000,000 items"),
    ("{{ [1]|slice(10**9)|list|length }}", "builds a list of more than 1,000,000 items"),
    ("{{ ('x' * 100000)|wordwrap(1, wrapstring='y' * 100) }}", "builds a text of"),
    ("{{ ('http://a.b ' * 1000)|urlize(target='y' * 10000) }}", "builds a text of"),
    ("{{ {'a': 1}|tojson(indent=10**9) }}", "tojson indents at most 16 spaces"),
    ("{{ [[1], [2]]|sum(start=[]) }}", "sum adds numbers; start from a number"),
    ("{{ ['a']|map(attribute='__class__')|list }}", "cannot read __class__ of a str"),
    ("{{ 'a'|attr('__class__') }}", "cannot read __class__ of a str"),
    ("{{ '{0.__class__}'.format('a') }}", "cannot read __class__ of a str"),
    ("{{ dict.fromkeys(range(10)) }}", "cannot read fromkeys of a type"),
    ("{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}", "cannot read _func of a Macro"),
    (
        "{% for x in [1] %}{{ loop._iterator }}{% endfor %}",
        "cannot read _iterator of a LoopContext",
    ),
    ('{% include "issue.html.j2" %}', "calls nested more than 50 deep"),
    ('{% import "issue.html.j2" as me with context %}', "recursion too deep"),
    ('{% include "../../secret.txt" %}', "../../secret.txt"),
    (
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        "over its budget of 100,000 steps",
    ),
    (
        "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}"
        "{{ m(40) }}",
        "over its budget of 100,000 steps",
    ),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "calls nested more than 50 deep"),
    ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "calls nested more than 50"),
    ("{% for i in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}", "writes more than"),
    ("{% for i in range(100000) %}" + "y" * 1000 + "{% endfor %}", "writes more than"),
    ("{{ anchor('article-01') }}", "anchor() takes an article the layout was given"),
    ("{{ 'x'|compact_date }}", "compact_date takes a date, not a str"),
]


@pytest.fixture
def small_budgets(monkeypatch):
    """The step budget a tenth of its size, so an endless template reaches it sooner; the
    sample stays within the real one (test_the_sample_renders_well_within_its_budget)."""
    monkeypatch.setattr(budgets, "MAX_STEPS", 100_000)


@pytest.mark.parametrize(("markup", "message"), ESCAPES, ids=[m for m, _ in ESCAPES])
def test_an_escape_from_an_issue_template_is_one_line_and_runs_nothing(
    stranger, small_budgets, markup, message
):
    root = stranger.parent
    line = with_markup(root, "issue.html.j2", markup, "<body>")
    result = runner.invoke(app, ["build", str(stranger), "-o", "x.pdf"])
    refused(result, "issue.html.j2", line, message, root)
    assert not (root / "x.pdf").exists()


def test_the_time_budget_stops_a_template_between_any_two_steps(stranger, monkeypatch):
    monkeypatch.setattr(budgets, "MAX_SECONDS", -1.0)
    result = runner.invoke(app, ["build", str(stranger), "-o", "x.pdf"])
    assert result.exit_code == 1
    (said,) = result.stderr.splitlines()
    assert re.match(r"layouts/own/issue\.html\.j2:\d+: template: over its budget of -1 s", said)


SITE_ESCAPES = [
    ("{{ site.latest.issue_dir.read_text() }}", "has no attribute 'issue_dir'"),
    ("{{ site.latest.loaded.issue_dir }}", "has no attribute 'loaded'"),
    ("{{ site.articles[0].file.read_text() }}", "has no attribute 'file'"),
    ("{{ site.articles[0].tokens }}", "has no attribute 'tokens'"),
    ("{{ site.url.__self__ }}", "cannot read __self__ of a TemplateFunction"),
    ("{{ site.publication.__class__ }}", "cannot read __class__ of a dict"),
    ("{{ body(site.articles[0]).__class__ }}", "cannot read __class__ of a Markup"),
    ("{{ body('../secret.txt') }}", "body() takes an article the layout was given"),
    ("{{ site }}", "prints a value of more than"),
]


@pytest.mark.parametrize(("markup", "message"), SITE_ESCAPES, ids=[m for m, _ in SITE_ESCAPES])
def test_an_escape_from_a_site_template_is_one_line_and_writes_nothing(stranger, markup, message):
    root = stranger.parent
    line = with_markup(root, "site/home.html.j2", markup, "{% block main %}")
    site = root.parent / f"{root.name}-site"
    result = runner.invoke(app, ["site", str(root), "-o", str(site), "--no-pdfs"])
    refused(result, "site/home.html.j2", line, message, root)
    assert not site.exists()


FILTERS_AT_WORK = (
    "{{ 'ab'|center(6) }}|{{ 'a\nb'|indent(2) }}|{{ 'a b c'|wordwrap(3) }}|"
    "{{ 'aXa'|replace('X', '-') }}|{{ '%03d'|format(7) }}|{{ {'k': 1}|tojson }}|"
    "{{ [1, 2, 3]|batch(2)|list }}|{{ [1, 2, 3]|slice(2)|list }}|{{ [1, 2]|sum }}|"
    "{{ {'id': 'x'}|xmlattr }}|{{ 'abcdefghij'|truncate(9, leeway=0) }}|{{ '<b>x</b>'|striptags }}|"
    "{{ 'a b'|urlencode }}|{{ 3|string }}|{{ '<'|e }}|{{ '<'|safe }}|"
    "{{ [{'n': 'a'}, {'n': 'b'}]|join('+', attribute='n') }}|{{ '{:>3}'.format(1) }}|"
    "{{ 'a-b'.split('-')|join(',') }}|{{ ('x' ~ 1) * 2 }}|{{ range(3)|list }}|"
    "{% for g in [{'a': 1}, {'a': 1}]|groupby('a') %}{{ g.grouper }}{{ g.list|length }}"
    "{% endfor %}|"
    "{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% endfor %}"
    "{{ ns.n }}|{{ date.year }}{{ date|compact_date }}"
)


def test_the_filters_and_methods_a_layout_uses_still_work():
    env = LayoutEnvironment(
        loader=jinja2.DictLoader({"t": FILTERS_AT_WORK}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        filters={"compact_date": compact_date},
    )
    out = render_template(env, "t", {"date": dt.date(2024, 4, 16)})
    assert out.split("|") == [
        "  ab  ", "a\n  b", "a b\nc", "a-a", "007", '{"k": 1}', "[[1, 2], [3]]",
        "[[1, 2], [3]]", "3", ' id="x"', "abcdef...", "x", "a%20b", "3", "&lt;", "<",
        "a+b", "  1", "a,b", "x1x1", "[0, 1, 2]", "12", "6", "202420240416",
    ]  # fmt: skip


PLAIN = (dict, list, tuple, str, bool, int, float, type(None), dt.date, Markup, TemplateFunction)


def every_value(value, seen):
    """Every value reachable from `value` through mappings and lists, each once."""
    if id(value) in seen:
        return
    seen.add(id(value))
    yield value
    children = value.items() if isinstance(value, dict) else ()
    if isinstance(value, (list, tuple)):
        children = enumerate(value)
    for key, item in children:
        yield key
        yield from every_value(item, seen)


@pytest.fixture(scope="module")
def given() -> dict[str, list]:
    """Every value each template of the sample issue and site is given."""
    found: dict[str, list] = {}
    render = jinja2.Template.render

    def recording(template, *args, **kwargs):
        seen: set[int] = set()
        values = found.setdefault(template.name, [])
        for value in dict(*args, **kwargs).values():
            values.extend(every_value(value, seen))
        return render(template, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Template, "render", recording)
        for mode in ("office", "web"):
            render_issue(load_issue(SAMPLE_ISSUE).content, None, mode, SAMPLE_ISSUE)
        loaded, publication = load_site(REPO / "content")
        publication_file = find_publication_file(loaded[-1].issue_dir)
        site = plan_site(loaded, site_base_url(publication, None, publication_file))
        layout = site_layout(publication.layout, publication_file.parent)
        SiteRenderer(site, gather_media(site), layout).all_files()
    return found


def test_templates_are_given_plain_data_only(given):
    assert {"issue.html.j2", "web.html.j2", "site/home.html.j2", "site/feed.xml.j2"} <= set(given)
    for template, values in given.items():
        kinds = {type(value).__name__ for value in values if type(value) not in PLAIN}
        assert kinds == set(), f"{template} is given {kinds}"


def test_the_sample_renders_well_within_its_budget():
    content = load_issue(SAMPLE_ISSUE).content
    used = []
    real = budgets.Budget.tick

    def tick(budget):
        real(budget)
        if budget.steps == 1:
            used.append(budget)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(budgets.Budget, "tick", tick)
        render_issue(content, None, "office", SAMPLE_ISSUE)
    (budget,) = used
    assert budget.steps < budgets.MAX_STEPS // 100
    assert budget.output < budgets.MAX_OUTPUT // 100


@pytest.mark.engine_warnings
def test_a_layout_naming_a_system_font_warns_and_fails_strict(stranger):
    style = stranger.parent / "layouts" / "own" / "style.css"
    style.write_text(style.read_text() + '\n.masthead-name { font-family: "DejaVu Sans"; }\n')
    result = runner.invoke(app, ["build", str(stranger), "-o", "x.pdf"])
    assert result.exit_code == 0, result.output
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("warning: the pages are set in '") and "not a bundled font" in warning
    strict = runner.invoke(app, ["build", str(stranger), "-o", "y.pdf", "--strict"])
    assert strict.exit_code == 1
    (line,) = strict.stderr.splitlines()
    assert "--strict" in line and "not a bundled font" in line
    assert not (stranger.parent / "y.pdf").exists()
