"""Content files read within budgets: text, YAML fields remembering their lines, front matter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bulletin.content.characters import (
    blank,
    code_point,
    describe,
    describe_invisible,
    forbidden_characters,
    invisible_characters,
)
from bulletin.content.files import display_path, size_in_words
from bulletin.content.slips import dash_line, diagnose, key_on, line_slips
from bulletin.errors import Problem
from bulletin.i18n import N_, _

FRONT_MATTER_FENCE = "---"
# Budget: a YAML file or front matter is a few hundred bytes (the files' own: files.py).
MAX_YAML_BYTES = 100 * 1024
MAX_YAML_DEPTH = 20  # content needs 2: a field holding a list
ALIASES = N_(
    "anchors and aliases (&name, *name) are not used in content files; write the value out"
)

Path_ = tuple[str | int, ...]
_NULL = "tag:yaml.org,2002:null"
_RESOLVER = yaml.resolver.Resolver()


@dataclass
class SourceText:
    """One content file as read: its path for messages, its text, and value positions."""

    path: Path
    text: str
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1
    # Every value that reaches the page, as (line, text), for the character checks.
    texts: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, location: Path_) -> int:
        """Line of the deepest known part of a value's path, else the record's first line."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return self.first_line

    def line_text(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""


def field_name(location: Path_) -> str:
    """('sponsors', 0) → 'sponsors[0]'."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "record"


class _Stop(Exception):
    def __init__(self, line: int, field: str | None, message: str):
        self.line, self.field, self.message = line, field, message


def parse_yaml(
    source: SourceText, text: str, line_offset: int, problems: list[Problem], what: str = "yaml"
) -> Any:
    """YAML → plain values (scalars stay strings), recording the line of every key and item.

    Within budgets (size, depth, no aliases), with slips named on their own line, every
    duplicate key and every control character reported; `what` names the text in messages
    that concern no one field. None when there were problems.
    """
    shown = display_path(source.path)
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        problems.append(
            Problem(
                shown,
                None,
                what,
                _(
                    "{size} of fields; expected at most {limit} (is this the right file, and "
                    "are the '---' lines in place?)"
                ).format(size=size_in_words(size), limit=size_in_words(MAX_YAML_BYTES)),
            )
        )
        return None
    slips = line_slips(text)
    if slips:
        problems.extend(Problem(shown, i + 1 + line_offset, k or what, m) for i, k, m in slips)
        return None
    builder = _Builder(source, text, line_offset)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            builder.feed(event)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        # The reader's errors carry a position instead of a mark.
        position = getattr(error, "position", 0)
        index = mark.line if mark is not None else text[:position].count("\n")
        line, key, message = diagnose(text, index)
        problems.append(Problem(shown, line + 1 + line_offset, key or what, message))
        return None
    except _Stop as stop:
        problems.append(Problem(shown, stop.line, stop.field or what, stop.message))
        return None
    if builder.problems:
        problems.extend(Problem(shown, line, f or what, m) for line, f, m in builder.problems)
        return None
    return {} if builder.root is None else builder.root


@dataclass
class _Open:
    """A mapping or list being built, and the key waiting for its value."""

    value: dict | list
    location: Path_
    key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Plain values from YAML events, one at a time: no recursion, no alias ever expanded."""

    def __init__(self, source: SourceText, text: str, offset: int):
        self.source, self.text, self.offset = source, text, offset
        self.stack: list[_Open] = []
        self.root: Any = None
        self.documents = 0
        self.anchors: dict[str, int] = {}
        self.problems: list[tuple[int, str | None, str]] = []

    def line(self, event: yaml.Event) -> int:
        return event.start_mark.line + 1 + self.offset

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Stop(
                    self.line(event),
                    None,
                    _("a second '---' line starts another set of fields; keep one set per file"),
                )
        elif isinstance(event, yaml.AliasEvent):
            raise _Stop(self.anchors.get(event.anchor, self.line(event)), None, _(ALIASES))
        elif isinstance(event, yaml.ScalarEvent):
            self._anchor(event)
            self._add(self._scalar(event), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._anchor(event)
            if len(self.stack) >= MAX_YAML_DEPTH:
                raise _Stop(
                    self.line(event),
                    self._field(),
                    _(
                        "values nested more than {depth} levels deep (brackets inside brackets, "
                        'or ever deeper indenting); write each field as "name: value"'
                    ).format(depth=MAX_YAML_DEPTH),
                )
            value: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
            location = self._add(value, event)
            self.stack.append(_Open(value, location))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()

    def _anchor(self, event) -> None:
        if event.anchor is not None:
            self.anchors.setdefault(event.anchor, self.line(event))

    def _field(self) -> str | None:
        """The top-level field being read, if any."""
        location = self.stack[-1].location if self.stack else ()
        if self.stack and self.stack[-1].key is not None:
            location = (*location, self.stack[-1].key)
        return field_name(location[:1]) if location else None

    def _scalar(self, event: yaml.ScalarEvent) -> str | None:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _NULL:
            return None
        typed = self.text[event.start_mark.index : event.end_mark.index]
        for char in forbidden_characters(event.value, typed):
            self.problems.append((self.line(event), self._field(), describe(char)))
        # In a field, an invisible character is an error: it would make a title, a name or
        # a region look the same as another and not be the same (or look filled and be empty).
        hidden = list(invisible_characters(event.value))
        if hidden and blank(event.value):
            empty = _(
                "only invisible characters ({names}), so it is empty; write the value"
            ).format(names=", ".join(code_point(char) for char in hidden))
            self.problems.append((self.line(event), self._field(), empty))
        else:
            for char in hidden:
                self.problems.append((self.line(event), self._field(), describe_invisible(char)))
        return event.value

    def _add(self, value: Any, event: yaml.Event) -> Path_:
        line = self.line(event)
        lines = self.source.lines
        if not self.stack:
            self.root = value
            lines.setdefault((), line)
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            location = (*top.location, len(top.value))
            top.value.append(value)
        elif top.key is None:
            return self._key(top, value, line)
        else:
            location = (*top.location, top.key)
            top.value[top.key] = value
            top.key = None
        lines.setdefault(location, line)
        if isinstance(value, str):
            self.source.texts.append((line, value))
        return location

    def _key(self, top: _Open, key: Any, line: int) -> Path_:
        if not isinstance(key, str) or not key:
            raise _Stop(
                line,
                None,
                _('a field name must be plain text before the colon, as in "title: 标题"'),
            )
        if key in top.key_lines:
            first = top.key_lines[key]
            self.problems.append(
                (
                    line,
                    key,
                    _("written twice, on lines {first} and {line}; keep one of them").format(
                        first=first, line=line
                    ),
                )
            )
        else:
            top.key_lines[key] = line
            self.source.lines[(*top.location, key)] = line
        top.key = key
        return top.location


class Unfenced(Exception):
    """An article whose front matter is not fenced by '---' lines: where, and what to do."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts); Unfenced when the fences are wrong."""
    lines = text.split("\n")
    first = lines[0].strip()
    if first != FRONT_MATTER_FENCE:
        if dash_line(first):
            raise Unfenced(1, _not_a_fence(first))
        raise Unfenced(
            1,
            _("expected the article to start with a '---' line, its fields, and a closing '---'"),
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    for index in range(1, len(lines)):
        if dash_line(lines[index]):
            raise Unfenced(index + 1, _not_a_fence(lines[index].strip()))
    for index in range(1, len(lines)):
        if _starts_text(lines[index]):
            raise Unfenced(
                index + 1,
                _(
                    "the fields above are not closed; add a line '---' before this line, "
                    "where the text begins"
                ),
            )
    raise Unfenced(1, _("the fields are not closed; add a line '---' after the last field"))


def _starts_text(line: str) -> bool:
    """Whether a line cannot belong to front matter: not blank, indented, a comment or a field."""
    if not line.strip() or line[0].isspace() or line.startswith(("#", "-")):
        return False
    return key_on(line) is None


def _not_a_fence(line: str) -> str:
    return _(
        "the line {line} should be three plain hyphens '---' (typed with the input method in "
        "English mode)"
    ).format(line=repr(line))
