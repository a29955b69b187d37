"""The sandbox layout templates run in: plain values only, every operation within budget."""

from __future__ import annotations

import contextlib
import datetime as dt
import types
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.filters import _GroupTuple
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from ..content.loader import display_path
from ..errors import BulletinError, LayoutError
from ..i18n import _
from . import budgets
from .budgets import MAX_RANGE, Budget, OverBudget, containers, printed, text
from .template_filters import layout_filters


class TemplateFunction:
    """A function a layout is given (`anchor(article)`, `site.url(path)`): it can be
    called, and has nothing a template can read."""

    __slots__ = ("function", "name")

    def __init__(self, name: str, function: Callable):
        self.function = function
        self.name = name

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{self.name}()"


def not_given(function: str) -> SecurityError:
    """A function of the layout's given an article it was not given."""
    return SecurityError(
        _("{function}() takes an article the layout was given").format(function=function)
    )


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise OverBudget(
            _("a range of {size} numbers; the budget is {limit}").format(
                size=f"{len(numbers):,}", limit=f"{MAX_RANGE:,}"
            )
        )
    return numbers


def names(words: str) -> frozenset[str]:
    return frozenset(words.split())


MAPPING_METHODS = names("get items keys values")
TEXT_METHODS = names(
    "capitalize casefold center count endswith expandtabs find format format_map index "
    "isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable "
    "isspace istitle isupper join ljust lower lstrip partition removeprefix removesuffix "
    "replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip "
    "swapcase title upper zfill striptags unescape"
)
LOOP_ATTRIBUTES = names(
    "index index0 revindex revindex0 first last length depth depth0 previtem nextitem cycle changed"
)
# What a template may read of each kind of value: nothing else, and nothing of any other kind.
READABLE: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (str, TEXT_METHODS),
    (Mapping, MAPPING_METHODS),
    (_GroupTuple, names("grouper list count index")),
    ((list, tuple), names("count index")),
    (range, names("start stop step count index")),
    (int, names("real imag numerator denominator")),
    (float, names("real imag is_integer")),
    (dt.date, names("year month day isoformat strftime weekday isoweekday")),
    (LoopContext, LOOP_ATTRIBUTES),
    (Cycler, names("current next reset")),
    (Macro, names("name arguments")),
    (BlockReference, names("super")),
)
# What the template itself stored (`namespace()`, `{% import %}`): any name without `_`.
OWN = (Namespace, TemplateModule)
CALLABLE_KINDS = (TemplateFunction, Macro, BlockReference, LoopContext, Joiner)
CALLABLE_GLOBALS = (dict, Namespace, Cycler, Joiner)
METHODS = (types.BuiltinMethodType, types.MethodType, types.MethodWrapperType)


def readable(obj: object, attribute: str) -> bool:
    if attribute.startswith("_"):
        return False
    if isinstance(obj, OWN):
        return True
    return any(isinstance(obj, kinds) and attribute in names for kinds, names in READABLE)


def kind_of(obj: object) -> str:
    if isinstance(obj, METHODS) and not isinstance(obj.__self__, type):
        return f"{type(obj.__self__).__name__}.{obj.__name__}"
    return type(obj).__name__


# The filter every `{% for %}` loop's values go through, each turn a step of the budget;
# no template can name it (a space).
TURNS = "bulletin turns"


class LayoutCodeGenerator(CodeGenerator):
    """Jinja's code, with every piece of output, `~`, literal and loop turn counted."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile:
            convert = "(escape if context.eval_ctx.autoescape else str)"
        else:
            convert = "escape" if frame.eval_ctx.autoescape else "str"
        self.write(f"environment.emit({convert}, ")
        if finalize.src is not None:
            self.write(finalize.src)

    def _output_const_repr(self, group: Iterable) -> str:
        return f"environment.emit_text({super()._output_const_repr(group)})"

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.tilde({join}, (")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")

    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:
        self.writeline("with environment.included():", node)  # nested as calls are
        self.indent()
        super().visit_Include(node, frame)
        self.outdent()

    def _built(self, visit: Callable, node, frame: Frame) -> None:
        self.write("environment.built(")
        visit(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":
            return super().visit_Tuple(node, frame)
        return self._built(super().visit_Tuple, node, frame)

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._built(super().visit_List, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._built(super().visit_Dict, node, frame)


class LayoutEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, narrowed to plain values and bounded in time, memory and output."""

    code_generator_class = LayoutCodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *args, filters: Mapping[str, Callable] = {}, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = layout_filters(filters) | {TURNS: self.turns}
        self.globals.pop("lipsum", None)  # text of any length, and a layout never needs it
        self.globals["range"] = TemplateFunction("range", bounded_range)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, TURNS, [], [], None, None, lineno=loop.lineno)
        return tree

    # What the compiled templates call (LayoutCodeGenerator).
    def turns(self, iterable: Iterable) -> Iterator:
        return self._turns(budgets.current(), iterable)

    @staticmethod
    def _turns(budget: Budget, iterable: Iterable) -> Iterator:
        for item in iterable:
            budget.tick()
            yield item

    def emit(self, convert: Callable, value: object) -> str:
        budget = budgets.current()
        budget.tick()
        if not isinstance(value, (*budgets.SCALARS, Undefined)):
            printed(value)
        out = convert(value)
        budget.wrote(len(out))
        return out

    def emit_text(self, data: str) -> str:
        budget = budgets.current()
        budget.tick()
        budget.wrote(len(data))
        return data

    def tilde(self, join: Callable, parts: tuple) -> str:
        budgets.current().tick()
        text(sum(printed(part) for part in parts))
        return join(parts)

    def included(self) -> contextlib.AbstractContextManager:
        return budgets.current().nested()

    def built(self, value: object) -> object:
        budgets.current().tick()
        return budgets.built(value)

    # The sandbox's own hooks.
    def is_safe_attribute(self, obj, attr, value) -> bool:
        return readable(obj, attr)

    def is_safe_callable(self, obj) -> bool:
        if isinstance(obj, CALLABLE_KINDS) or any(obj is kind for kind in CALLABLE_GLOBALS):
            return True
        if isinstance(obj, METHODS) and not isinstance(obj.__self__, type):
            return readable(obj.__self__, obj.__name__)
        return False

    def refuse_attribute(self, obj: object, attribute: str) -> SecurityError:
        return SecurityError(
            _("cannot read {attribute} of a {kind}: a layout reads only the values it is given")
            .format(attribute=attribute, kind=kind_of(obj))
        )  # fmt: skip

    def getattr(self, obj, attribute):
        budgets.current().tick()
        if attribute.startswith("_"):
            raise self.refuse_attribute(obj, attribute)
        if isinstance(obj, Undefined):
            return getattr(obj, attribute)  # says what is undefined
        if isinstance(obj, Mapping) and attribute in obj:
            return obj[attribute]  # a value's own field before a method of mappings
        if isinstance(obj, TemplateReference):  # self.BLOCK
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if isinstance(obj, Mapping) and attribute not in MAPPING_METHODS:
            return self.undefined(obj=obj, name=attribute)
        if not self.is_safe_attribute(obj, attribute, None):
            raise self.refuse_attribute(obj, attribute)
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return self.undefined(obj=obj, name=attribute)
        return self.wrap_str_format(value) or value

    def getitem(self, obj, argument):
        budgets.current().tick()
        if isinstance(obj, Undefined):
            return obj[argument]  # says what is undefined
        if isinstance(obj, (Mapping, list, tuple, str, range, TemplateReference)):
            try:
                return obj[argument]
            except (TypeError, LookupError):
                pass
        if isinstance(argument, str):
            return self.getattr(obj, argument)
        return self.undefined(obj=obj, name=argument)

    def unsafe_undefined(self, obj, attribute):
        raise self.refuse_attribute(obj, attribute)

    def wrap_str_format(self, value):
        formatted = super().wrap_str_format(value)
        if formatted is None:
            return None
        template = value.__self__

        def checked(*args, **kwargs):
            budgets.brace_format(template, (args, kwargs))
            return formatted(*args, **kwargs)

        return TemplateFunction(value.__name__, checked)

    def call_binop(self, context, operator, left, right):
        budgets.current().tick()
        if operator == "*":
            budgets.repeated(left, right)
        elif operator == "**":
            budgets.power(left, right)
        elif operator == "+":
            budgets.added(left, right)
        elif operator == "%" and isinstance(left, str):
            budgets.percent_format(left, right)
        return budgets.built(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own argument names
        budget = budgets.current()
        budget.tick()
        if isinstance(__obj, Undefined):
            return __obj(*args, **kwargs)  # says what is undefined
        if not __self.is_safe_callable(__obj):
            raise SecurityError(
                _(
                    "cannot call {name}: a layout calls only its macros, the functions it is "
                    "given and the methods of text"
                ).format(name=kind_of(__obj))
            )
        if isinstance(__obj, LoopContext) and args:
            args = (__self.turns(args[0]), *args[1:])  # a recursive loop's next level
        method = isinstance(__obj, METHODS) and isinstance(__obj.__self__, str)
        if method:
            args = budgets.text_method(__obj.__self__, __obj.__name__, args, kwargs)
        with budget.nested():
            result = __context.call(__obj, *args, **kwargs)
        if method and isinstance(result, str):
            text(len(result))
        if any(__obj is kind for kind in CALLABLE_GLOBALS):
            budgets.built(result)
        return result


def given_containers(values: Mapping[str, object]) -> frozenset[int]:
    """Every mapping and list of the values a template is given (each once)."""
    seen: set[int] = set()
    stack = list(values.values())
    while stack:
        item = stack.pop()
        if isinstance(item, (Mapping, list, tuple)) and id(item) not in seen:
            seen.add(id(item))
            stack.extend(containers(item))
    return frozenset(seen)


def render_template(
    env: jinja2.Environment,
    name: str,
    values: dict,
    *,
    allowance: int = 0,
    given: frozenset[int] | None = None,
) -> str:
    """`name` rendered with `values` within its budget; any failure is one LayoutError line
    naming the template and line. `allowance`: the characters of pre-rendered HTML given,
    which the output may hold beyond its own budget."""
    if given is None:
        given = given_containers(values)
    with budgets.budgeted(Budget(output_allowance=allowance, given=given)):
        try:
            return env.get_template(name).render(**values)
        except BulletinError:
            raise
        except Exception as error:
            raise located(error, env, name) from error


def located(error: Exception, env: jinja2.Environment, name: str) -> LayoutError:
    """The error as one line, at the innermost template line the traceback passes."""
    where: str | None = None
    line: int | None = None
    if isinstance(error, jinja2.TemplateSyntaxError):
        where, line = error.filename or error.name, error.lineno
    frames = []  # the template lines the traceback passes, outermost first (jinja2/debug.py)
    tb = error.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    if frames:
        # Endless recursion: the line that calls again, which every level passes.
        recursion = isinstance(error, (RecursionError, budgets.TooDeep))
        where, line = Counter(frames).most_common(1)[0][0] if recursion else frames[-1]
    if where is None or where == "<template>":
        where = name
    folder = getattr(env.loader, "folder", None)
    shown = display_path(Path(where)) if Path(where).is_absolute() else where
    if folder is not None and not Path(where).is_absolute():
        shown = display_path(Path(folder) / where)
    if isinstance(error, jinja2.TemplateError):
        message = error.message or type(error).__name__
    elif isinstance(error, RecursionError):
        message = _("recursion too deep: a macro, block or include that calls itself")
    else:
        message = _("failed: {kind}: {reason}").format(kind=type(error).__name__, reason=error)
    return LayoutError(shown, "template", " ".join(message.split()), line=line)
