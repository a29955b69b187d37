"""What catalogue.json must hold: each record checked, and what is wrong said in words."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from bulletin.errors import Problem
from bulletin.i18n import N_, _
from bulletin.outputs.archive_files import (
    NotRegular,
    TooLarge,
    describe_character,
    read_within,
    shown,
    structure_problem,
    too_large,
    unsafe_character,
)

CATALOGUE = "catalogue.json"
# 2: every version of an issue numbered, with the time it was archived and the editor's
# reason; withdrawn issues listed under "withdrawn". A format 1 catalogue reads as it is.
CATALOGUE_FORMAT = 2
WITHDRAWN = "withdrawn"  # the subfolder a withdrawn issue's files are moved into
SHA256 = re.compile(r"^[0-9a-f]{64}$")
HEX = N_("expected 64 lowercase hexadecimal digits")


def staged_name(name: str) -> str:
    return f".{name}.pending"


def archived_at() -> str:
    """Now in UTC (ISO 8601, to the second), or SOURCE_DATE_EPOCH's moment when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def upgraded(catalogue: dict) -> dict:
    """The catalogue with every version numbered, as format 2 has them (in place)."""
    for entry in [*catalogue.get("issues", []), *catalogue.get(WITHDRAWN, [])]:
        history = entry.get("replaced", [])
        for number, old in enumerate(history, start=1):
            old.setdefault("version", number)
        entry.setdefault("version", len(history) + 1)
    return catalogue


KINDS = {
    dict: N_("an object"),
    list: N_("a list"),
    str: N_("a string"),
    bool: N_("true or false"),
    int: N_("a number"),
    float: N_("a number"),
}


def kind_of(value) -> str:
    return _(KINDS[type(value)]) if type(value) in KINDS else "null"


def found_instead(expected: str, value) -> str:
    return _("expected {expected}, found {found}").format(
        expected=_(expected), found=kind_of(value)
    )


def plain_name(name) -> bool:
    """A file directly in the archive folder, not hidden, not the catalogue, printable."""
    plain = isinstance(name, str) and re.fullmatch(r"[^./\\\0][^/\\\0]*", name)
    return bool(plain) and name != CATALOGUE and unsafe_character(name) is None


def is_sha256(value) -> bool:
    return isinstance(value, str) and bool(SHA256.match(value))


def record_problems(record, where: str, history: bool = False) -> list[tuple[str, str]]:
    """What is wrong with one catalogue entry (or with one kept copy in its history)."""
    if not isinstance(record, dict):
        return [(where, found_instead(N_("an object"), record))]
    found = []
    name = record.get("file")
    if "file" not in record:
        found.append((where, _("no 'file'; expected the name of the archived PDF")))
    elif not plain_name(name) and not (history and name is None and record.get("lost") is True):
        found.append((f"{where}.file", name_problem(name)))
    if not is_sha256(record.get("sha256")):
        found.append((f"{where}.sha256", _(HEX)))
    for key in ("bytes", "cumulative", "version"):
        value = record.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool):
            found.append((f"{where}.{key}", found_instead(N_("a whole number"), value)))
    for key in ("reason", "archived_at", "withdrawn_at", "withdrawn_reason"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            found.append((f"{where}.{key}", found_instead(N_("a string"), value)))
    replaced = [] if history else record.get("replaced", [])
    if not isinstance(replaced, list):
        return [*found, (f"{where}.replaced", found_instead(N_("a list"), replaced))]
    for index, old in enumerate(replaced):
        found += record_problems(old, f"{where}.replaced[{index}]", history=True)
    return found


def name_problem(name) -> str:
    """Why `name` is no file name of the archive folder (shown escaped, as repr shows it)."""
    char = unsafe_character(name) if isinstance(name, str) else None
    if char is not None:
        return _(
            "{name}: holds an invisible or control character ({char}); expected a file name "
            "in the archive folder, which never holds one"
        ).format(name=repr(name), char=describe_character(char))
    return _("{name}: expected a file name in the archive folder").format(name=repr(name))


def pending_problems(intent) -> list[tuple[str, str]]:
    """What is wrong with the record of a run in progress (written by `store`)."""
    if not isinstance(intent, dict):
        return [("pending", found_instead(N_("an object"), intent))]
    found = record_problems(intent.get("record"), "pending.record")
    if intent.get("action") == "withdraw":
        if not plain_name(intent.get("file")) or not is_sha256(intent.get("sha256")):
            found.append(("pending.file", _("expected the file name and its SHA-256")))
        return found + moves_problems(intent.get("moves"))
    name, previous = intent.get("file"), intent.get("previous")
    if not plain_name(name) or intent.get("staged") != staged_name(name):
        found.append(("pending.file", _("expected the file name and its staged copy's name")))
    elif not found and intent["record"]["file"] != name:
        message = _("expected {name}, as in 'file'").format(name=repr(name))
        found.append(("pending.record.file", message))
    if not is_sha256(intent.get("sha256")) or not (previous is None or is_sha256(previous)):
        found.append(("pending.sha256", _(HEX)))
    if intent.get("kept") is not None and not plain_name(intent.get("kept")):
        found.append(("pending.kept", _("expected a file name or null")))
    return found


def moves_problems(moves) -> list[tuple[str, str]]:
    """What is wrong with a withdrawal's moves: [file, its name in withdrawn/, SHA-256]…"""
    if not isinstance(moves, list) or not moves:
        return [("pending.moves", found_instead(N_("a list"), moves))]
    expected = _("expected [file name, file name in withdrawn/, SHA-256]")
    return [
        (f"pending.moves[{index}]", expected)
        for index, move in enumerate(moves)
        if not (isinstance(move, list) and len(move) == 3)
        or not (plain_name(move[0]) and plain_name(move[1]) and is_sha256(move[2]))
    ]


def load_catalogue(folder: Path) -> tuple[dict | None, list[Problem]]:
    """The catalogue and every problem with it; None when it cannot be read at all."""
    path = folder / CATALOGUE
    where = shown(path)
    if not path.exists() and not path.is_symlink():
        return {"format": CATALOGUE_FORMAT, "issues": []}, []
    try:
        text = read_within(path).decode("utf-8")
        problem = structure_problem(text)
        catalogue = None if problem else json.loads(text)
    except NotRegular as refused:
        problem = _("cannot read: {kind}, not a regular file; restore it from a backup").format(
            kind=refused.kind
        )
    except TooLarge:
        problem = too_large()
    except OSError as error:
        problem = _("cannot read: {reason}").format(reason=error.strerror or error)
    except (ValueError, RecursionError) as error:  # not UTF-8, not JSON, nested too deep
        line = getattr(error, "lineno", None)
        damaged = _("not valid JSON; restore it from a backup")
        return None, [Problem(where, line, "catalogue", damaged)]
    if problem:
        return None, [Problem(where, None, "catalogue", problem)]
    if not isinstance(catalogue, dict) or not isinstance(catalogue.get("issues"), list):
        expected = _("expected an object with a list 'issues'; restore it from a backup")
        return None, [Problem(where, None, "catalogue", expected)]
    found, seen = [], {}
    for index, entry in enumerate(catalogue["issues"]):
        problems = record_problems(entry, f"issues[{index}]")
        if not problems and entry["file"] in seen:
            again = _("listed at {where} too").format(where=f"issues[{seen[entry['file']]}]")
            problems = [(f"issues[{index}].file", again)]
        seen.setdefault(None if problems else entry["file"], index)
        found += problems
    withdrawn = catalogue.get(WITHDRAWN, [])
    if not isinstance(withdrawn, list):
        found.append((WITHDRAWN, found_instead(N_("a list"), withdrawn)))
        catalogue[WITHDRAWN] = []
    for index, entry in enumerate(catalogue.get(WITHDRAWN, [])):
        found += record_problems(entry, f"{WITHDRAWN}[{index}]")
    if "pending" in catalogue:
        found += pending_problems(catalogue["pending"])
    return catalogue, [Problem(where, None, field, message) for field, message in found]
