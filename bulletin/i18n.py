"""Messages in the reader's language: the gettext catalogue, the language choice, _() and n_()."""

from __future__ import annotations

import ast
import contextlib
import functools
import gettext
import io
import os
import struct
from collections.abc import Iterator, Mapping

DOMAIN = "bulletin"
ENGLISH, CHINESE = "en", "zh"
LANGUAGES = (ENGLISH, CHINESE)
# Where each language's catalogue lives inside the package (English is the source text).
CATALOGUES = {CHINESE: ("locale", "zh_CN", "LC_MESSAGES", f"{DOMAIN}.po")}
# The environment, in the order gettext reads it; BULLETIN_LANG (and --lang) come first.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_english = gettext.NullTranslations()
_state = {"language": ENGLISH, "translations": _english}


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; `_()` translates it where used."""
    return message


def _(message: str) -> str:
    """`message` in the current language (the English text itself when there is none)."""
    return _state["translations"].gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that fits `count`, in the current language."""
    return _state["translations"].ngettext(singular, plural, count)


def language_named(value: str | None) -> str | None:
    """'zh', 'zh_CN.UTF-8', 'zh-Hans' → 'zh'; 'en', 'C', 'POSIX', 'de_DE' → 'en'; '' → None."""
    if not value or not value.strip():
        return None
    first = value.strip().split(":")[0].lower()
    return CHINESE if first.startswith("zh") else ENGLISH


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """BULLETIN_LANG, else the first locale variable set (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    environ = os.environ if environ is None else environ
    for name in ("BULLETIN_LANG", *LOCALE_VARIABLES):
        if (language := language_named(environ.get(name))) is not None:
            return language
    return ENGLISH


def current_language() -> str:
    return _state["language"]


def set_language(language: str) -> None:
    """Speak `language` ('en' or 'zh') from now on, in this process."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    translations = _english if language == ENGLISH else catalogue(language)
    _state.update(language=language, translations=translations)


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside, and the language spoken before after."""
    before = current_language()
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


@functools.cache
def catalogue(language: str) -> gettext.GNUTranslations:
    """The language's .po file, compiled in memory the first time it is needed."""
    from importlib.resources import files

    resource = files(__package__).joinpath(*CATALOGUES[language])
    return gettext.GNUTranslations(io.BytesIO(compile_po(resource.read_text(encoding="utf-8"))))


def read_po(text: str) -> dict[str, str]:
    """The translated entries of a .po file, keyed as in a .mo file.

    A plural entry is keyed "singular\\0plural" and holds its forms joined by "\\0"; the
    header is the entry of "". Fuzzy and untranslated entries are left out, so their
    English shows instead.
    """
    entries: dict[str, str] = {}
    fields: dict[str, str] = {}
    state = {"key": "", "fuzzy": False}

    def finish() -> None:
        forms = [fields[k] for k in sorted(fields) if k.startswith("msgstr")]
        key = fields.get("msgid", "")
        if "msgid_plural" in fields:
            key += "\0" + fields["msgid_plural"]
        if forms and all(forms) and "msgctxt" not in fields and not state["fuzzy"]:
            entries[key] = "\0".join(forms)
        fields.clear()
        state["fuzzy"] = False

    for raw in text.splitlines():
        line = raw.strip()
        complete = any(k.startswith("msgstr") for k in fields)
        if not line or line.startswith("#"):
            if complete:
                finish()
            state["fuzzy"] |= line.startswith("#,") and "fuzzy" in line
        elif line.startswith('"'):
            fields[state["key"]] += ast.literal_eval(line)
        else:
            keyword, _space, value = line.partition(" ")
            if keyword in ("msgid", "msgctxt") and complete:
                finish()
            state["key"] = keyword.replace("[", "_").replace("]", "")
            fields[state["key"]] = ast.literal_eval(value)
    if fields:
        finish()
    return entries


def compile_po(text: str) -> bytes:
    """A .po file's text → the bytes of the .mo file msgfmt would write (GNU format)."""
    entries = sorted((k.encode(), v.encode()) for k, v in read_po(text).items())
    start = 7 * 4 + 16 * len(entries)
    ids = b"".join(k + b"\0" for k, _ in entries)
    strs = b"".join(v + b"\0" for _, v in entries)
    key_table, value_table, offset = [], [], 0
    for key, _value in entries:
        key_table += [len(key), start + offset]
        offset += len(key) + 1
    offset = 0
    for _key, value in entries:
        value_table += [len(value), start + len(ids) + offset]
        offset += len(value) + 1
    header = struct.pack("<7I", 0x950412DE, 0, len(entries), 7 * 4, 7 * 4 + 8 * len(entries), 0, 0)
    tables = struct.pack(f"<{len(key_table)}I", *key_table)
    tables += struct.pack(f"<{len(value_table)}I", *value_table)
    return header + tables + ids + strs
