"""What a layout's template may compute: steps, seconds, text, items, output and depth."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import string
import time
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace

from ..i18n import _

# Per render of one template. A step is a turn of a loop, a call, a filter, a read of a
# value or a piece of output: the sample issue takes a few thousand.
MAX_STEPS = 1_000_000
MAX_SECONDS = 20.0
# The longest text and the most items (nested ones counted) one operation may build.
MAX_TEXT = 1_000_000
MAX_ITEMS = 1_000_000
# What a template writes, beyond the pre-rendered HTML it is given (article bodies).
MAX_OUTPUT = 20_000_000
# Calls inside calls: macros, blocks, recursive loops.
MAX_DEPTH = 50
MAX_RANGE = 100_000
MAX_EXPONENT = 100
MAX_INT_BITS = 4_096
# A width or precision in a format: `{:>10}`, `%-20s`, `center(80)`.
MAX_WIDTH = 1_000
MAX_JSON_INDENT = 16


class OverBudget(SecurityError):
    """A template that computes, builds or writes more than a layout ever needs."""


class TooDeep(OverBudget):
    """Calls inside calls past MAX_DEPTH: a macro, block, include or loop that recurses."""


@dataclass
class Budget:
    """What one render has used so far."""

    output_allowance: int = 0
    given: frozenset[int] = frozenset()  # the containers of the values it was given
    steps: int = 0
    output: int = 0
    depth: int = 0
    deadline: float = field(default_factory=lambda: time.monotonic() + MAX_SECONDS)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OverBudget(
                _("over its budget of {limit} steps (loop turns, calls, filters, reads)").format(
                    limit=f"{MAX_STEPS:,}"
                )
            )
        if time.monotonic() > self.deadline:
            raise OverBudget(
                _("over its budget of {limit} seconds").format(limit=f"{MAX_SECONDS:g}")
            )

    def wrote(self, size: int) -> None:
        self.output += size
        limit = MAX_OUTPUT + self.output_allowance
        if self.output > limit:
            raise OverBudget(
                _("writes more than its budget of {limit} characters").format(limit=f"{limit:,}")
            )

    @contextlib.contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise TooDeep(
                    _(
                        "calls nested more than {limit} deep (a macro, block, include or "
                        "loop that calls itself)"
                    ).format(limit=MAX_DEPTH)
                )
            yield
        finally:
            self.depth -= 1


_CURRENT: ContextVar[Budget | None] = ContextVar("bulletin_template_budget", default=None)


def current() -> Budget:
    """The budget of the render under way. Jinja also evaluates constant expressions while
    it compiles a template: with no render under way they are left to run time."""
    budget = _CURRENT.get()
    if budget is None:
        raise SecurityError("a layout template runs only inside its budget")
    return budget


@contextlib.contextmanager
def budgeted(budget: Budget) -> Iterator[Budget]:
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


SCALARS = (str, int, float, type(None), dt.date)


def containers(value: object) -> Iterator[object]:
    """The values held by a container (keys and values of a mapping), else nothing."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield key
            yield item
    elif isinstance(value, (list, tuple)):
        yield from value
    elif isinstance(value, Namespace):
        yield from containers(object.__getattribute__(value, "_Namespace__attrs"))


def printed(value: object, limit: int = MAX_TEXT) -> int:
    """About how many characters `str(value)` makes, refused past `limit`: every path
    through nested containers is counted, so a value built by doubling is refused long
    before Python would print it."""
    total, visits, stack = 0, 0, [value]
    while stack:
        item = stack.pop()
        visits += 1
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, (Mapping, list, tuple, Namespace)):
            total += 2
            stack.extend(containers(item))
        else:
            total += 24  # a number, a date, a macro's or a loop's short name
        if total > limit or visits > limit:
            raise OverBudget(
                _("prints a value of more than {limit} characters").format(limit=f"{limit:,}")
            )
    return total


def built(value: object) -> object:
    """A container the template made holds at most MAX_ITEMS items, nested ones counted
    (the values it was given count one each): doubling a list inside a list is refused."""
    if not isinstance(value, (Mapping, list, tuple)):
        return value
    given = current().given
    visits, stack = 0, [value]
    while stack:
        item = stack.pop()
        visits += 1
        if visits > MAX_ITEMS:
            raise too_many_items()
        if id(item) not in given:
            stack.extend(containers(item))
    return value


def too_many_items() -> OverBudget:
    return OverBudget(_("builds a list of more than {limit} items").format(limit=f"{MAX_ITEMS:,}"))


def text(size: int) -> None:
    """A text of `size` characters that an operation is about to build."""
    if size > MAX_TEXT:
        raise OverBudget(
            _("builds a text of {size} characters; the budget is {limit}").format(
                size=f"{size:,}", limit=f"{MAX_TEXT:,}"
            )
        )


def width(value: object) -> int:
    if isinstance(value, int) and value > MAX_WIDTH:
        raise OverBudget(
            _("a width or precision of {size}; at most {limit}").format(
                size=f"{value:,}", limit=MAX_WIDTH
            )
        )
    return value if isinstance(value, int) else 0


PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)
WIDTHS = re.compile(r"\d+")


def percent_format(template: str, args: object) -> None:
    """`'%5s' % x` and the `format` filter: widths bounded, the text within MAX_TEXT."""
    fields = 0
    for match in PERCENT_FIELD.finditer(template):
        if "*" in (match.group(1), match.group(2)):
            raise OverBudget(_("a width taken from the values (*) in a format"))
        for number in filter(None, (match.group(1), match.group(2))):
            width(int(number))
        fields += match.group(3) != "%"
    text(len(template) + fields * (printed(args) + MAX_WIDTH))


def brace_format(template: str, args: object) -> None:
    """`'{:>5}'.format(x)`: widths bounded, no nested fields, the text within MAX_TEXT."""
    fields = 0
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format says what is wrong
    for _literal, name, spec, _conversion in parsed:
        if name is None:
            continue
        fields += 1
        if spec and "{" in spec:
            raise OverBudget(
                _("a width taken from another value in a format (a field inside a field)")
            )
        for number in WIDTHS.findall(spec or ""):
            width(int(number))
    text(len(template) + fields * (printed(args) + MAX_WIDTH))


def replaced(value: str, old: object, new: object, count: object) -> None:
    old, new = str(old), str(new)
    times = value.count(old) if old else len(value) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    text(len(value) + times * (len(new) - len(old)))


def joined(separator: object, items: list) -> None:
    sizes = sum(printed(item) for item in items)
    text(sizes + len(str(separator)) * max(len(items) - 1, 0))


def repeated(left: object, right: object) -> None:
    """`*`: a text or a list repeated, or a product of numbers, within budget."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            if isinstance(sequence, str):
                text(len(sequence) * count)
            elif len(sequence) * count > MAX_ITEMS:
                raise too_many_items()
            return
    if isinstance(left, int) and isinstance(right, int):
        bits(left.bit_length() + right.bit_length())


def power(base: object, exponent: object) -> None:
    if isinstance(exponent, int) and abs(exponent) > MAX_EXPONENT:
        raise OverBudget(_("a power over {limit}").format(limit=MAX_EXPONENT))
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        bits(base.bit_length() * exponent)


def bits(count: int) -> None:
    if count > MAX_INT_BITS:
        raise OverBudget(_("a number of more than {limit} bits").format(limit=f"{MAX_INT_BITS:,}"))


def added(left: object, right: object) -> None:
    if isinstance(left, str) and isinstance(right, str):
        text(len(left) + len(right))
    elif (
        isinstance(left, (list, tuple))
        and isinstance(right, (list, tuple))
        and len(left) + len(right) > MAX_ITEMS
    ):
        raise too_many_items()


def text_method(value: str, name: str, args: tuple, kwargs: dict) -> tuple:
    """The arguments of a method of text, checked: what it builds stays within budget."""
    first = args[0] if args else None
    if name in ("center", "ljust", "rjust", "zfill"):
        size = first if first is not None else kwargs.get("width")
        if isinstance(size, int):
            text(max(len(value), size))
    elif name == "expandtabs":
        size = first if first is not None else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            text(len(value) + value.count("\t") * max(size, 0))
    elif name == "replace" and len(args) >= 2:
        count = args[2] if len(args) > 2 else kwargs.get("count", -1)
        replaced(value, args[0], args[1], count)
    elif name == "join" and args:
        items = list(args[0])
        joined(value, items)
        args = (items, *args[1:])
    return args
