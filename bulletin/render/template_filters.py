"""Jinja's filters for layouts: each counted as a step and checked against the budget first."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping

from jinja2.filters import FILTERS, make_attrgetter
from jinja2.utils import _PassArg

from ..i18n import _
from . import budgets
from .budgets import MAX_ITEMS, MAX_JSON_INDENT, OverBudget, printed, text

# The filters Jinja has that a layout has no use for: `pprint` shows Python's view of a value.
LEFT_OUT = frozenset(["pprint"])


def _center(a: dict) -> None:
    size = printed(a["value"])
    if isinstance(a["width"], int):
        text(max(size, a["width"]))


def _indent(a: dict) -> None:
    printed(a["s"])
    value = str(a["s"])
    step = a["width"] if isinstance(a["width"], str) else " " * budgets.width(a["width"])
    text(len(value) + (value.count("\n") + 1) * len(step))


def _wordwrap(a: dict) -> None:
    size = printed(a["s"])
    lines = size // max(a["width"] if isinstance(a["width"], int) else 1, 1) + 1
    text(size + lines * len(str(a["wrapstring"] or "\n")) + size // 2)


def _urlize(a: dict) -> None:
    extra = sum(len(str(a[name] or "")) for name in ("target", "rel"))
    text(printed(a["value"]) * (3 + extra))


def _replace(a: dict) -> None:
    printed(a["s"])
    budgets.replaced(str(a["s"]), a["old"], a["new"], a["count"])


def _format(a: dict) -> None:
    printed(a["value"])
    budgets.percent_format(str(a["value"]), (a["args"], a["kwargs"]))


def _tojson(a: dict) -> None:
    indent = a["indent"]
    if isinstance(indent, int) and indent > MAX_JSON_INDENT:
        raise OverBudget(_("tojson indents at most {limit} spaces").format(limit=MAX_JSON_INDENT))
    text(printed(a["value"]) * (2 + (indent if isinstance(indent, int) else 0)))


def _counted(name: str) -> Callable[[dict], None]:
    def check(a: dict) -> None:
        if isinstance(a[name], int) and a[name] > MAX_ITEMS:
            raise budgets.too_many_items()

    return check


def _sum(a: dict) -> None:
    if not isinstance(a["start"], (int, float)):
        raise OverBudget(_("sum adds numbers; start from a number"))


def _printed(a: dict) -> None:
    """The value, printed, within budget (the first argument, whatever Jinja names it)."""
    text(printed(next(iter(a.values()))))


CHECKS: Mapping[str, Callable[[dict], None]] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "urlize": _urlize,
    "replace": _replace,
    "format": _format,
    "tojson": _tojson,
    "batch": _counted("linecount"),
    "slice": _counted("slices"),
    "sum": _sum,
    "xmlattr": _printed,
    "truncate": _printed,
    "striptags": _printed,
    "urlencode": _printed,
    "string": _printed,
    "e": _printed,
    "escape": _printed,
    "forceescape": _printed,
    "safe": _printed,
}


def budgeted_filter(name: str, function: Callable) -> Callable:
    """`function` as a layout calls it: one step, its arguments checked, its result too."""
    passes = _PassArg.from_obj(function) is not None
    check = CHECKS.get(name)
    signature = _value_signature(function) if check is not None else None

    @functools.wraps(function)
    def filtered(*args, **kwargs):
        budgets.current().tick()
        if name == "join":
            args, kwargs = _joined(args, kwargs)
        elif check is not None and signature is not None:
            bound = signature.bind(*args[passes:], **kwargs)
            bound.apply_defaults()
            check(dict(bound.arguments))
        result = function(*args, **kwargs)
        if isinstance(result, str):
            text(len(result))
        return budgets.built(result)

    return filtered


# What Jinja passes a filter before its value (`pass_eval_context` and its kin).
PASSED = frozenset(["eval_ctx", "environment", "env", "context"])


def _value_signature(function: Callable) -> inspect.Signature | None:
    """The parameters of a filter from its value on. Jinja's sync-or-async filters take
    the evaluation context first, but their signature is the plain function's."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # a builtin without one: nothing to check
        return None
    parameters = list(signature.parameters.values())
    if _PassArg.from_obj(function) is not None and parameters[0].name in PASSED:
        parameters = parameters[1:]
    return signature.replace(parameters=parameters)


def _joined(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """`join`: its items taken out of any generator once, each printable, the text bounded."""
    eval_ctx, value, *rest = args
    separator = rest[0] if rest else kwargs.get("d", "")
    attribute = rest[1] if len(rest) > 1 else kwargs.get("attribute")
    items = list(value)
    if attribute is not None:
        items = list(map(make_attrgetter(eval_ctx.environment, attribute), items))
    budgets.joined(separator, items)
    return (eval_ctx, items, separator), {}


def layout_filters(extra: Mapping[str, Callable]) -> dict[str, Callable]:
    """Jinja's filters less LEFT_OUT, and `extra`, every one within budget."""
    chosen = {name: f for name, f in FILTERS.items() if name not in LEFT_OUT} | dict(extra)
    return {name: budgeted_filter(name, function) for name, function in chosen.items()}
