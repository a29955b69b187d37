"""The package as a user gets it: a wheel installed into a fresh environment, used from an
empty folder; `bulletin init`; advice that fits the installation."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bulletin.cli import app
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # builds and installs a wheel

runner = CliRunner()


def fonts_of(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bulletin from a freshly built wheel in its own environment; returns its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    made = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"),
            *("-w", str(root / "dist"), str(REPO)),
        ],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert made.returncode == 0, made.stderr
    (wheel,) = (root / "dist").glob("bulletin-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies come from the test environment (no download); bulletin itself only
    # from the wheel: a .pth line adds a path but runs none of the .pth files found there.
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", wheel],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return venv / "bin"


def run_installed(bin_dir: Path, cwd: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(bin_dir / "bulletin"), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_wheel_carries_fonts_layouts_and_press_profile(installed):
    site = Path(
        subprocess.run(
            [installed / "python", "-c", "import bulletin; print(bulletin.__file__)"],
            capture_output=True,
            text=True,
            check=True,
            cwd="/",
        ).stdout.strip()
    ).parent
    assert not site.is_relative_to(REPO), "bulletin came from the checkout, not the wheel"
    for package in (REPO / "bulletin").rglob("__init__.py"):
        relative = package.relative_to(REPO / "bulletin")
        assert (site / relative).is_file(), f"package {relative.parent} is not in the wheel"
    for name in (
        "data/fonts/NotoSerifSC-Regular.otf",
        "data/fonts/coverage.txt",
        "data/fonts/OFL.txt",
        "data/layouts/default/issue.html.j2",
        "data/layouts/default/style.css",
        "outputs/profiles/FOGRA39-bulletin.icc",
        "locale/zh_CN/LC_MESSAGES/bulletin.po",
    ):
        assert (site / name).is_file(), name


def test_installed_wheel_starts_a_publication_and_builds_it_in_an_empty_folder(installed, tmp_path):
    work = tmp_path / "empty"
    work.mkdir()
    started = run_installed(installed, work, "init", "pub")
    assert started.returncode == 0, started.stderr
    (issue,) = (work / "pub").glob("20*-01")
    built = run_installed(installed, work, "build", str(issue), "-o", "office.pdf")
    assert built.returncode == 0, built.stderr
    # The layout's @font-face names: only the bundled files carry them; a missing font
    # would have come from the system under its own name.
    fonts = fonts_of(work / "office.pdf")
    assert fonts and fonts <= {
        "Bulletin-Serif",
        "Bulletin-Serif-Bold",
        "Bulletin-Sans",
        "Bulletin-Sans-Bold",
    }
    press = run_installed(installed, work, "build", str(issue), "--press", "-o", "press.pdf")
    assert press.returncode == 0, press.stderr
    intent = PdfReader(work / "press.pdf").trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    doctor = run_installed(installed, work, "doctor")
    assert doctor.returncode == 0, doctor.stdout
    assert "(pip install)" in doctor.stdout
    assert "make setup" not in doctor.stdout and "git" not in doctor.stdout
    chinese = run_installed(installed, work, "--lang", "zh", "check", str(issue))
    assert chinese.returncode == 0 and "：无误，" in chinese.stdout, chinese.stderr


def test_wheel_holds_no_tests_content_or_caches(installed):
    (wheel,) = installed.parent.parent.glob("dist/*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.startswith(("tests/", "content/", "benchmarks/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_init_starts_a_publication_that_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    started = runner.invoke(app, ["init", "pub"])
    assert started.exit_code == 0, started.output
    text = (tmp_path / "pub" / "publication.yaml").read_text(encoding="utf-8")
    # The placeholders are marked, and the file's comments (in the editors' Chinese) say so.
    assert "【待填写】" in text and "占位内容" in text
    (issue,) = (tmp_path / "pub").glob("20*-01")
    # It builds as it is; every placeholder left is a warning, and --strict refuses to print.
    checked = runner.invoke(app, ["check", str(issue)])
    assert checked.exit_code == 0, checked.output
    assert "【待填写】 is still here" in checked.stderr
    assert runner.invoke(app, ["check", "--strict", str(issue)]).exit_code == 1
    again = runner.invoke(app, ["init", "pub"])
    assert again.exit_code == 1
    assert "pub/publication.yaml: init: already exists; nothing was changed" in again.stderr


def test_new_in_an_empty_folder_points_to_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "."])
    assert result.exit_code == 1
    assert "start a publication with `bulletin init .`" in result.stderr
    assert "internal error" not in result.output


def test_a_users_own_layout_beside_the_content_is_used(sample_copy):
    own = sample_copy.parent / "layouts" / "mine"
    own.mkdir(parents=True)
    from bulletin.data import layouts_dir

    for path in (layouts_dir() / "default").glob("*.*"):
        (own / path.name).write_bytes(path.read_bytes())
    template = own / "issue.html.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace("<body", "<body data-own-layout", 1),
        encoding="utf-8",
    )
    from bulletin.content.loader import load_issue
    from bulletin.render.html import render_issue

    html = render_issue(
        load_issue(sample_copy).content, "mine", content_dir=sample_copy.parent
    ).html
    assert "data-own-layout" in html


def test_the_first_issue_of_init_passes_preflight(tmp_path, monkeypatch):
    from bulletin.content.starter import init_publication
    from bulletin.operations.build import build
    from bulletin.preflight.preflight import preflight

    monkeypatch.chdir(tmp_path)
    _, issue = init_publication(tmp_path / "pub")
    pdf = build(issue, tmp_path / "first.pdf").output
    assert [str(v) for v in preflight(pdf).violations] == []


def test_commands_work_from_inside_the_issue_folder(sample_copy, monkeypatch):
    monkeypatch.chdir(sample_copy)
    assert runner.invoke(app, ["check", "."]).exit_code == 0
    monkeypatch.chdir(sample_copy / "articles")
    result = runner.invoke(app, ["check", ".."])
    assert result.exit_code == 0, result.output


def test_a_press_profile_named_by_a_relative_path(sample_copy, monkeypatch):
    from bulletin.data import press_profile

    monkeypatch.chdir(sample_copy.parent)
    (sample_copy.parent / "their.icc").write_bytes(press_profile().read_bytes())
    (sample_copy.parent / "bad.icc").write_text("not a profile")
    arguments = ["build", sample_copy.name, "--press", "-o", "p.pdf", "--profile"]
    assert runner.invoke(app, [*arguments, "their.icc", "--condition", "X"]).exit_code == 0
    bad = runner.invoke(app, [*arguments, "bad.icc"])
    assert bad.exit_code == 1
    assert bad.stderr.startswith("bad.icc: profile: not an ICC profile")


def test_every_library_bulletin_imports_is_a_declared_dependency():
    """A wheel installs only what pyproject.toml declares: a module of another library that
    the package imports (the test environment may hold it for other reasons) must be named."""
    import ast
    import re
    import tomllib
    from importlib.metadata import packages_distributions, requires

    def name(requirement: str) -> str:
        return re.split(r"[\s\[<>=!~;(]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    declared = set()
    for requirement in tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]:
        declared.add(name(requirement))
        # What an extra asked for (pagefind[extended]) is declared too.
        for extra in re.findall(r"\[([^\]]+)\]", requirement):
            for needed in requires(name(requirement)) or []:
                if re.search(rf"extra\s*==\s*['\"]{re.escape(extra)}['\"]", needed):
                    declared.add(name(needed))
    owners = packages_distributions()
    imported: dict[str, str] = {}
    for path in (REPO / "bulletin").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top != "bulletin" and top not in sys.stdlib_module_names:
                    imported.setdefault(top, str(path.relative_to(REPO)))
    undeclared = {
        top: where
        for top, where in imported.items()
        if not {d.lower().replace("_", "-") for d in owners.get(top, [top])} & declared
    }
    assert undeclared == {}
