"""Pydantic's errors as located problems, each saying what was expected in an editor's words."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError

from bulletin.content.files import display_path
from bulletin.content.models import URL_FIELDS
from bulletin.content.yaml_reading import Path_, SourceText, field_name
from bulletin.errors import Problem
from bulletin.i18n import N_, _

_FIELD_MESSAGES = {
    "missing": N_("required; expected a value"),
    "extra_forbidden": N_("unknown field"),
    "string_too_short": N_("must not be empty"),
    "string_too_long": N_("too long"),
    "too_short": N_("must not be empty"),
    "string_type": N_("expected text"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected a mapping of fields"),
    "model_type": N_("expected a mapping of fields"),
    "int_type": N_("expected a whole number"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "date_type": N_("expected a date written YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("expected a date written YYYY-MM-DD"),
    "date_parsing": N_("expected a date written YYYY-MM-DD"),
}
# Fields whose value must match a pattern, and the pattern in words.
_PATTERNS = {
    "slug": N_("expected small letters, digits and hyphens, such as bri"),
    "layout": N_(
        "expected the name of a layout folder (letters, digits, _ and -), such as default"
    ),
    "phone": N_("expected a number of at least 5 digits, spaces, +, ( ) and -"),
    "fax": N_("expected a number of at least 5 digits, spaces, +, ( ) and -"),
}
_BOUNDS = {
    "greater_than": N_("expected a number greater than {bound}, got {value}"),
    "greater_than_equal": N_("expected a number at least {bound}, got {value}"),
    "less_than": N_("expected a number less than {bound}, got {value}"),
    "less_than_equal": N_("expected a number at most {bound}, got {value}"),
}


# Field names editors write in Chinese, and the field each one means.
_CHINESE_FIELDS = {
    "地区": "region", "区域": "region", "省份": "region", "标题": "title", "题目": "title",
    "来源": "source", "出处": "source", "日期": "date", "时间": "date",
    "年份": "year", "年": "year", "期号": "number", "期数": "number", "总期号": "cumulative",
    "出版日期": "print_date", "印刷日期": "print_date", "编辑": "editors", "主办": "sponsors",
    "主办单位": "sponsors", "电话": "phone", "传真": "fax", "名称": "name", "刊名": "name",
}  # fmt: skip


def meant_field(given: str, known: list[str]) -> str | None:
    """The known field a misspelt or translated field name most likely means."""
    if given in _CHINESE_FIELDS and _CHINESE_FIELDS[given] in known:
        return _CHINESE_FIELDS[given]
    spelt = given.strip().lower().replace("-", "_").replace(" ", "_")
    if spelt in known:
        return spelt
    close = get_close_matches(spelt, known, n=1)
    return close[0] if close else None


def describe_error(error: dict[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error → what was expected, in words an editor can act on."""
    kind = error["type"]
    given = error.get("input")
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        given_name = str(error["loc"][-1]) if error["loc"] else ""
        if meant := meant_field(given_name, list(model.model_fields)):
            return _("unknown field; did you mean {name}?").format(name=meant)
        known = ", ".join(model.model_fields)
        return _("unknown field; expected one of: {fields}").format(fields=known)
    if kind in _BOUNDS:
        bound = next(iter(context.values()))
        return _(_BOUNDS[kind]).format(bound=bound, value=given)
    if kind == "string_pattern_mismatch":
        field = error["loc"][-1] if error["loc"] else None
        expected = _(_PATTERNS[field]) if field in _PATTERNS else _("expected other text")
        return _("unexpected value {value}; {expected}").format(
            value=repr(given), expected=expected
        )
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind in ("string_type", "string_too_short") and given in (None, ""):
        return _("must not be empty")
    if kind == "string_too_long":
        length, limit = len(str(given).strip()), context["max_length"]
        if error["loc"] and error["loc"][-1] in URL_FIELDS:
            return _(
                "an address of {length} characters; expected at most {limit} (check for a "
                "paste gone wrong)"
            ).format(length=length, limit=limit)
        return _(
            "{length} characters; expected at most {limit} (split it, or check for a paste "
            "gone wrong)"
        ).format(length=length, limit=limit)
    if kind == "too_long":
        return _("{count} entries; expected at most {limit}").format(
            count=context["actual_length"], limit=context["max_length"]
        )
    if kind not in _FIELD_MESSAGES:
        return _("not a usable value here: {value}").format(value=repr(given))
    message = _(_FIELD_MESSAGES[kind])
    if kind in ("int_parsing", "date_parsing", "date_from_datetime_parsing", "int_from_float"):
        message = _("{expected}, got {value}").format(expected=message, value=repr(given))
    return message


def _bracket_hint(source: SourceText, line: int, location: Path_) -> str | None:
    """A text field written [like this] is read as a list: say to quote it."""
    key = location[-1] if location and isinstance(location[-1], str) else None
    written = source.line_text(line)
    if key is None or not written.startswith(f"{key}:"):
        return None
    value = written[len(key) + 1 :].strip()
    if not value.startswith(("[", "{")):
        return None
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value[0] == "[":
        message = _(
            'a value starting with a bracket "{bracket}" is read as a list; put the whole '
            "value in quotes: {fix}"
        )
    else:
        message = _(
            'a value starting with a bracket "{bracket}" is read as a set of fields; put the '
            "whole value in quotes: {fix}"
        )
    return message.format(bracket=value[0], fix=f"{key}: {quoted}")


def validate_record(
    model: type[BaseModel], data: Any, source: SourceText, problems: list[Problem]
) -> Any:
    """Validate one record, turning each pydantic error into a located Problem."""
    if not isinstance(data, dict):
        problems.append(
            Problem(
                display_path(source.path),
                source.first_line,
                "record",
                _("expected a mapping of fields (key: value lines)"),
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            location = tuple(item["loc"])
            line = source.line_of(location)
            message = describe_error(item, model)
            if item["type"] == "string_type" and isinstance(item.get("input"), (list, dict)):
                message = _bracket_hint(source, line, location) or message
            problems.append(Problem(display_path(source.path), line, field_name(location), message))
        return None
