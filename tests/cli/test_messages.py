"""Messages in English and Chinese: all translated, placeholders kept, slips and help in both."""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.i18n import catalogue, compile_po, language_from_environment, read_po
from tests.catalogue import PO_FILE, placeholders, scan
from tests.corpus.build import ART
from tests.corpus.slips import SLIPS

runner = CliRunner()


def invoke(arguments: list[str], **options):
    return runner.invoke(app, arguments, prog_name="bulletin", **options)


PO = read_po(PO_FILE.read_text(encoding="utf-8"))
SCAN = scan()
COMMANDS = [[], *([name] for name in typer.main.get_command(app).commands)]


def test_every_message_of_the_code_has_a_chinese_translation():
    assert SCAN.unusable == [], "_() of an f-string or computed text cannot be translated"
    assert SCAN.shadowed == [], "these functions bind the name _ and also call _()"
    untranslated = [m.places[0] + " " + m.msgid for k, m in SCAN.messages.items() if k not in PO]
    assert untranslated == [], "run `python -m tests.catalogue` and translate the new entries"
    obsolete = set(PO) - set(SCAN.messages) - {""}
    assert obsolete == set(), "messages no longer in the code: run `python -m tests.catalogue`"


def test_translations_keep_every_placeholder():
    wrong = []
    for key, translation in PO.items():
        if not key:
            continue
        msgid, _zero, plural = key.partition("\0")
        expected = placeholders(plural or msgid)
        wrong += [
            (msgid, form) for form in translation.split("\0") if placeholders(form) != expected
        ]
    assert wrong == []


def test_the_catalogue_compiles_as_gettext_reads_it():
    translations = catalogue("zh")
    assert translations.gettext("Usage: {usage}") == "用法：{usage}"
    assert translations.ngettext("{n} article", "{n} articles", 1) == "{n} 篇文章"
    assert translations.ngettext("{n} article", "{n} articles", 5) == "{n} 篇文章"
    assert translations.gettext("not a message") == "not a message"
    fuzzy = '#, fuzzy\nmsgid "a"\nmsgstr "甲"\n\nmsgid "b"\nmsgstr ""\n\nmsgid "c"\nmsgstr "丙"\n'
    assert read_po(fuzzy) == {"c": "丙"}
    assert compile_po(fuzzy).startswith(b"\xde\x12\x04\x95")


def test_the_language_comes_from_the_option_the_variable_or_the_locale():
    assert language_from_environment({}) == "en"
    assert language_from_environment({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert language_from_environment({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN"}) == "zh"
    assert language_from_environment({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert language_from_environment({"BULLETIN_LANG": "zh", "LC_ALL": "en_US"}) == "zh"
    assert language_from_environment({"BULLETIN_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"
    chinese = invoke(["check", "nowhere"], env={"BULLETIN_LANG": "zh"})
    english = invoke(["--lang", "en", "check", "nowhere"], env={"BULLETIN_LANG": "zh"})
    assert chinese.stderr.startswith("nowhere: issue: 没有这个文件夹")
    assert english.stderr.startswith("nowhere: issue: no such folder")
    # Given after the command or its arguments, --lang means the same.
    for arguments in (["check", "--lang", "en", "nowhere"], ["check", "nowhere", "--lang=en"]):
        late = invoke(arguments, env={"BULLETIN_LANG": "zh"})
        assert late.exit_code == 1 and late.stderr == english.stderr
    unknown = invoke(["check", "nowhere", "--lang", "fr"])
    assert unknown.exit_code == 2 and "--lang" in unknown.stderr


# ---------------------------------------------------------------- editors' slips


def _pattern(msgid: str) -> re.Pattern:
    parts, groups = [], {}
    for literal, name, _spec, _conversion in string.Formatter().parse(msgid):
        parts.append(re.escape(literal))
        if name is not None:
            if name in groups:
                parts.append(f"(?P={groups[name]})")
            else:
                groups[name] = f"g{len(groups)}_{name}"
                parts.append(f"(?P<{groups[name]}>.+?)")
    return re.compile("^" + "".join(parts) + "$")


# Messages with words of their own (not "{a}: {b}"), as patterns that find their values.
PATTERNS = [
    (msgid, _pattern(msgid), len(re.sub(r"\{[^}]*\}", "", msgid)))
    for msgid in PO
    if "\0" not in msgid and re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}", "", msgid))
]


def chinese(message: str) -> str:
    """An English message in Chinese, from the catalogue: the message it was made from,
    translated, with its values (themselves translated where they are messages)."""
    found = [(size, msgid, m) for msgid, p, size in PATTERNS if (m := p.match(message))]
    if not found:
        return message
    _size, msgid, match = max(found, key=lambda item: item[0])
    values = {group.split("_", 1)[1]: chinese(value) for group, value in match.groupdict().items()}
    return PO[msgid].format(**values)


def chinese_line(line: str) -> str:
    where, field, message = re.fullmatch(r"(.+?:\d+|[^:]+): ([^:]+): (.*)", line).groups()
    return f"{where}: {field}: {chinese(message)}"


# Pinned by hand: what a Chinese editor reads, word for word.
BY_HAND = {
    "full-width colon after a field name": [
        f"{ART}:2: region: “region”后面用了全角冒号“：”；请改为半角冒号“:”"
    ],
    "colon inside an unquoted title": [
        f"{ART}:3: title: 值中含有冒号加空格“: ”；请给整个值加上引号：title: "
        '"专访: 北京市长谈营商环境"'
    ],
    "29 February in a common year": [f"{ART}:5: date: 没有 2023年2月29日这一天；请核对日期"],
    "closing line missing, no text": [
        f"{ART}:1: front matter: 字段没有结束；请在最后一个字段后面加一行“---”"
    ],
}


def _checked(case, factory, *options: str) -> list[str]:
    for name, data in case.files.items():
        path = (factory.dir / name).resolve()
        if data is None:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        else:
            factory.write(name, data)
    result = invoke([*options, "check", case.check])
    assert result.exit_code == 1 and result.stdout == ""
    return result.stderr.splitlines()


@pytest.mark.parametrize("case", SLIPS, ids=[case.name for case in SLIPS])
def test_each_slip_is_named_in_english_and_in_chinese(case, issue_factory):
    chinese_lines = _checked(case, issue_factory, "--lang", "zh")
    assert chinese_lines == [chinese_line(line) for line in case.expected]
    assert chinese_lines == BY_HAND.get(case.name, chinese_lines)
    assert _checked(case, issue_factory, "--lang", "en") == case.expected


def test_the_slips_pinned_by_hand_are_slips():
    assert set(BY_HAND) <= {case.name for case in SLIPS}


# ---------------------------------------------------------------- help and usage


def english_runs(text: str) -> list[str]:
    """Runs of three or more English words, leaving out option names, metavars, file names,
    addresses and commands quoted in backticks."""
    kept = re.sub(r"`[^`]*`|\S*[-/._=|…]\S*|\b[A-Z][A-Z0-9_]+\b", " ", text)
    return re.findall(r"\b[A-Za-z]+\b(?:[ ,]+\b[A-Za-z]+\b){2,}", kept)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "bulletin")
def test_the_help_of_every_command_in_both_languages(command):
    english = invoke(["--lang", "en", *command, "--help"])
    chinese = invoke(["--lang", "zh", *command, "--help"])
    assert english.exit_code == chinese.exit_code == 0
    assert english.stdout.startswith(f"Usage: {' '.join(['bulletin', *command])} [OPTIONS]")
    assert chinese.stdout.startswith(f"用法：{' '.join(['bulletin', *command])} [选项]")
    for shown in (english.stdout, chinese.stdout):
        assert not re.search(r"<\w[^>]*>|\.\.\.", shown), "metavars name the thing: N, ISSUE_DIR…"
    assert "Show this message and exit." in english.stdout
    assert english_runs(chinese.stdout) == []


def test_usage_errors_are_worded_in_both_languages():
    english = invoke(["--lang", "en", "build", "-j", "0", "x"])
    chinese = invoke(["--lang", "zh", "build", "-j", "0", "x"])
    assert english.exit_code == chinese.exit_code == 2
    assert (
        english.stderr.splitlines()[-1]
        == "Error: -j, --jobs N: expected a whole number (at least 1)"
    )
    assert chinese.stderr.splitlines()[-1] == "错误：-j, --jobs N：应为整数（至少 1）"
    missing = invoke(["--lang", "zh", "check"])
    assert missing.stderr.splitlines() == [
        "用法：bulletin check [选项] ISSUE_DIR…",
        "运行“bulletin check --help”查看用法。",
        "",
        "错误：缺少 ISSUE_DIR…。期的文件夹，例如 content/2024-08。",
    ]
    typo = invoke(["--lang", "zh", "chek", "x"])
    assert typo.stderr.splitlines()[-1] == "错误：没有命令 'chek'；是不是要用 check？"
    unknown = invoke(["--lang", "en", "build", "--pres", "x"])
    assert (
        unknown.stderr.splitlines()[-1]
        == "Error: there is no option --pres; did you mean --as, --press, --profile?"
    )


def test_a_chinese_locale_speaks_chinese(issue_factory):
    """Under LANG=zh_CN.UTF-8, in a process of its own, `check` and `--help` speak Chinese."""
    issue_factory.article("01.md")
    issue_factory.write("articles/02.md", "---\nregion：上海\n---\n")
    drop = ("BULLETIN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
    env = {k: v for k, v in os.environ.items() if k not in drop} | {"LANG": "zh_CN.UTF-8"}

    def bulletin(*arguments: str):
        command = [sys.executable, "-m", "bulletin", *arguments]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        return done.returncode, done.stdout, done.stderr

    code, out, _err = bulletin("--help")
    assert code == 0 and out.startswith("用法：bulletin [选项] 命令 [参数]…")
    assert "检查各期内容" in out and english_runs(out) == []
    code, _out, err = bulletin("check", "2024-08")
    assert code == 1
    assert err.splitlines() == [
        "2024-08/articles/02.md:2: region: “region”后面用了全角冒号“：”；请改为半角冒号“:”"
    ]


# ---------------------------------------------------------------- plain words


@pytest.mark.parametrize(
    "arguments",
    [
        ["publish", "2024-08", "-o", "w.txt"],
        ["build", "2024-08", "--web", "-o", "w.txt"],
        ["site", ".", "-o", "w.txt"],
        ["archive", "2024-08", "--to", "w.txt"],
        ["watch", "2024-08", "-o", "w.txt"],
    ],
    ids=lambda a: a[0] + (" --web" if "--web" in a else ""),
)
def test_an_output_named_like_another_file_is_refused(arguments, issue_factory):
    issue_factory.article("01.md")
    result = invoke(arguments)
    assert result.exit_code == 1, result.output
    assert "looks like a file name" in result.stderr or ".pdf file or a folder" in result.stderr
    assert not (issue_factory.root / "w.txt").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["build", "2024-08", "-o", "notes"],
        ["publish", "2024-08", "-o", "notes"],
        ["site", ".", "-o", "notes"],
        ["publish", "2024-08", "--archive", "notes"],
        ["build", "2024-08", "-o", "/dev/null"],
    ],
    ids=lambda a: f"{a[0]} {a[-2]} {a[-1]}",
)
def test_an_output_folder_that_is_an_existing_file_is_refused(arguments, issue_factory):
    notes = issue_factory.root / "notes"
    notes.write_text("an editor's notes\n", encoding="utf-8")
    result = invoke(arguments)
    assert result.exit_code == 1, result.output
    field = "archive" if "--archive" in arguments else "output"
    assert f"{arguments[-1]}: {field}: is a file, not a folder; name " in result.stderr
    assert "File exists" not in result.stderr
    assert notes.read_text(encoding="utf-8") == "an editor's notes\n"
    assert sorted(p.name for p in issue_factory.root.iterdir()) == [
        "2024-08",
        "notes",
        "publication.yaml",
    ]  # refused before anything was made


def test_a_file_standing_where_the_output_folder_should_be_is_named(issue_factory):
    (issue_factory.root / "notes").write_text("an editor's notes\n", encoding="utf-8")
    result = invoke(["build", "2024-08", "-o", "notes/x.pdf"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["notes: output: is a file, not a folder; name a folder"]
