"""Help pages and usage errors in the reader's language, wrapped for Chinese and English."""

from __future__ import annotations

import re
import sys
import unicodedata
from difflib import get_close_matches

from typer import _click
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

from bulletin.i18n import N_, _, language_from_environment, language_named, n_, speaking

LANGUAGE_OPTION = "--lang"
ELLIPSIS = "…"
# Typer's own help option: its text is translated like bulletin's own.
HELP_OPTION_HELP = N_("Show this message and exit.")
# Characters a line may not start with, and may not end with (Chinese and Western).
NO_LINE_START = set("、，。；：！？）》」』”’…%") | set(",.;:!?)]}")
NO_LINE_END = set("（《「『“‘([{")
_EXTRA = re.compile(r"Got unexpected extra arguments? \((?P<arguments>.*)\)$")
_NEEDS_VALUE = re.compile(r"Option '(?P<option>[^']+)' requires")
_TAKES_NO_VALUE = re.compile(r"Option '(?P<option>[^']+)' does not take a value")


def width_of(text: str) -> int:
    """Columns `text` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pieces(text: str) -> list[str]:
    """Text cut where a line may break: between words, and between Chinese characters
    except before closing and after opening punctuation."""
    pieces: list[str] = []
    for token in re.findall(r"\s+|[\x21-\x7e]+|.", text):
        glue = pieces and (
            token[0] in NO_LINE_START or (pieces[-1][-1] in NO_LINE_END and not token.isspace())
        )
        if glue and not pieces[-1].isspace():
            pieces[-1] += token
        else:
            pieces.append(token)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most `width` columns (a longer word keeps its own line)."""
    lines, line = [], ""
    for piece in _pieces(" ".join(text.split())):
        if piece.isspace():
            line += " " if line else ""
        elif line and width_of(line + piece) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _write_text(formatter, text: str, indent: int) -> None:
    for number, paragraph in enumerate(re.split(r"\n\s*\n", text.strip())):
        if number:
            formatter.write("\n")
        for line in wrap(paragraph, max(formatter.width - indent, 30)):
            formatter.write(" " * indent + line + "\n")


def _write_rows(formatter, rows: list[tuple[str, str]], indent: int = 2) -> None:
    first = min(max(width_of(name) for name, _help in rows), 30) + 2
    for name, text in rows:
        lines = wrap(text, max(formatter.width - indent - first, 20)) or [""]
        if width_of(name) > first - 2:
            formatter.write(" " * indent + name + "\n")
            lines = lines if lines != [""] else []
        else:
            formatter.write(" " * indent + name + " " * (first - width_of(name)) + lines.pop(0))
            formatter.write("\n")
        for line in lines:
            formatter.write(" " * (indent + first) + line + "\n")


def _translated(text: str | None) -> str:
    return _(text) if text else ""


def metavar_of(param) -> str:
    """How help and messages name a value: ISSUE_DIR…, FILE.pdf, N, never a Python type."""
    name = param.metavar or (param.name or "value").upper()
    return name + (ELLIPSIS if param.nargs != 1 else "")


def _option_names(opts) -> str:
    return ", ".join(sorted(opts, key=lambda o: (o.startswith("--"), o)))


def _default_of(param) -> str | None:
    default = param.default
    if not param.show_default or default is None or callable(default):
        return None
    if getattr(param, "is_flag", False):
        if param.secondary_opts:
            return (param.opts if default else param.secondary_opts)[0]
        return None
    if isinstance(default, (list, tuple)):
        return " ".join(str(d) for d in default) or None
    return str(default)


def _range_of(param) -> str | None:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return _("from {low} to {high}").format(low=low, high=high)
    if low is not None:
        return _("at least {low}").format(low=low)
    if high is not None:
        return _("at most {high}").format(high=high)
    return None


def _notes(param) -> str:
    notes = []
    if (default := _default_of(param)) is not None:
        notes.append(_("default: {value}").format(value=default))
    if (bounds := _range_of(param)) is not None:
        notes.append(bounds)
    if param.required:
        notes.append(_("required"))
    return _("[{notes}]").format(notes=_("; ").join(notes)) if notes else ""


def help_rows(command, ctx) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(arguments, options) of a command as the help page lists them, translated."""
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        help_text = _translated(param.help)
        if notes := _notes(param):
            gap = "" if help_text.endswith(("。", "）")) or not help_text else "  "
            help_text = help_text + gap + notes
        if param.param_type_name == "argument":
            arguments.append((metavar_of(param), help_text))
            continue
        names = _option_names(param.opts)
        if param.secondary_opts:
            names += " / " + _option_names(param.secondary_opts)
        elif not getattr(param, "is_flag", False) and not getattr(param, "count", False):
            names += " " + metavar_of(param)
        options.append((names, help_text))
    return arguments, options


def usage_pieces(command, ctx) -> list[str]:
    pieces = [_("[OPTIONS]")]
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            name = metavar_of(param)
            pieces.append(name if param.required else f"[{name}]")
    return pieces


def write_help(command, ctx, formatter, commands: list[tuple[str, str]] | None = None) -> None:
    """The whole help page: usage, the command's text, arguments, options, commands."""
    command.format_usage(ctx, formatter)
    if command.help:
        formatter.write("\n")
        _write_text(formatter, _(command.help).partition("\f")[0], 2)
    arguments, options = help_rows(command, ctx)
    for title, rows in ((_("Arguments:"), arguments), (_("Options:"), options)):
        if rows:
            formatter.write(f"\n{title}\n")
            _write_rows(formatter, rows)
    if commands:
        formatter.write(f"\n{_('Commands:')}\n")
        _write_rows(formatter, commands)


def summary(command) -> str:
    """A command's first paragraph, for the list of commands."""
    return re.split(r"\n\s*\n", _translated(command.help).strip())[0].replace("\n", " ")


class _Worded:
    """The usage line in the reader's language (`get_usage_line` says what follows the name)."""

    def format_usage(self, ctx, formatter) -> None:
        formatter.write(_("Usage: {usage}").format(usage=self.get_usage_line(ctx)) + "\n")


class Command(_Worded, TyperCommand):
    """A command whose help and usage line are written in the reader's language."""

    def get_usage_line(self, ctx) -> str:
        return " ".join([ctx.command_path, *usage_pieces(self, ctx)])

    def format_help(self, ctx, formatter) -> None:
        write_help(self, ctx, formatter)


class Group(_Worded, TyperGroup):
    """The `bulletin` group: picks the language first, then reads the command line."""

    def get_usage_line(self, ctx) -> str:
        return " ".join([ctx.command_path, *usage_pieces(self, ctx), _("COMMAND [ARGS]…")])

    def format_help(self, ctx, formatter) -> None:
        rows = [
            (name, summary(command))
            for name, command in self.commands.items()
            if not command.hidden
        ]
        write_help(self, ctx, formatter, rows)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name in self.commands or name.startswith("-"):
            return super().resolve_command(ctx, args)
        message = _("there is no command {name!r}").format(name=name)
        if close := get_close_matches(name, list(self.commands)):
            message += _("; did you mean {names}?").format(names=", ".join(close))
        else:
            message += _("; the commands are: {names}").format(names=", ".join(self.commands))
        raise UsageError(message, ctx)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = language_first(list(sys.argv[1:] if args is None else args))
        language = language_named(chosen_language(args)) or language_from_environment()
        with speaking(language):
            try:
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except ClickException as error:
                if not standalone_mode:
                    raise
                show_error(error)
                sys.exit(error.exit_code)
            except Abort:
                if not standalone_mode:
                    raise
                _click.echo(_("Stopped."), err=True)
                sys.exit(1)
            if standalone_mode:
                sys.exit(code if isinstance(code, int) else 0)
            return code


def language_first(args: list[str]) -> list[str]:
    """The arguments with --lang moved before the command, wherever it was given.

    `bulletin build 2024-08 --lang zh` means what `bulletin --lang zh build 2024-08`
    does; after a `--`, everything is an argument.
    """
    moved: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == LANGUAGE_OPTION and index + 1 < len(args):
            moved = args[index : index + 2]
            index += 2
            continue
        if arg.startswith(LANGUAGE_OPTION + "="):
            moved = [arg]
        else:
            rest.append(arg)
        index += 1
    return moved + rest


def chosen_language(args: list[str]) -> str | None:
    """The value of --lang among the options before the command, if given."""
    for index, arg in enumerate(args):
        if arg == LANGUAGE_OPTION and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(LANGUAGE_OPTION + "="):
            return arg.partition("=")[2]
        if arg == "--" or not arg.startswith("-"):
            return None
    return None


def show_error(error: ClickException) -> None:
    """A usage error as three lines: the usage, where to read more, and what is wrong."""
    if isinstance(error, NoArgsIsHelpError):
        error.show()
        return
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        command = ctx.command
        _click.echo(_("Usage: {usage}").format(usage=command.get_usage_line(ctx)), err=True)
        hint = _("See '{command} --help' for what it takes.").format(command=ctx.command_path)
        _click.echo(hint + "\n", err=True)
    _click.echo(_("Error: {message}").format(message=describe(error)), err=True)


def _named(param) -> str:
    if param.param_type_name == "argument":
        return metavar_of(param)
    return _option_names(param.opts) + ("" if param.is_flag else " " + metavar_of(param))


def _option(ctx, name: str):
    """The option of the command being read that `name` (e.g. '-o') stands for."""
    command = getattr(ctx, "command", None)
    for param in getattr(command, "params", []):
        if name in getattr(param, "opts", ()) or name in getattr(param, "secondary_opts", ()):
            return param
    return None


def describe(error: ClickException) -> str:
    """What is wrong with the command line, in the reader's language."""
    param = getattr(error, "param", None)
    if isinstance(error, MissingParameter) and param is not None:
        return (
            _("{name} is missing. {about}")
            .format(name=_named(param), about=_translated(param.help))
            .strip()
        )
    if isinstance(error, NoSuchOption):
        message = _("there is no option {option}").format(option=error.option_name)
        if error.possibilities:
            names = ", ".join(sorted(error.possibilities))
            message += _("; did you mean {names}?").format(names=names)
        return message
    if isinstance(error, BadOptionUsage):
        if match := _NEEDS_VALUE.match(error.message):
            option = _option(error.ctx, match["option"])
            name = _named(option) if option is not None else match["option"]
            return _("{option} needs a value after it").format(option=name)
        if match := _TAKES_NO_VALUE.match(error.message):
            return _("{option} takes no value; write it alone").format(option=match["option"])
    if isinstance(error, BadParameter):
        if param is None:  # raised by bulletin itself: the message is already in words
            hint = error.param_hint
            hint = hint if isinstance(hint, str) or hint is None else " / ".join(hint)
            if not hint:
                return error.message
            return _("{option}: {message}").format(option=hint, message=error.message)
        return _("{name}: expected {expected}").format(
            name=_named(param), expected=_expected(param, error.message)
        )
    if match := _EXTRA.match(error.message):
        words = match["arguments"].split()
        return n_(
            "one argument too many: {arguments}",
            "{count} arguments too many: {arguments}",
            len(words),
        ).format(count=len(words), arguments=" ".join(words))
    return error.message


def _expected(param, message: str) -> str:
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None)
    if choices:
        return _("one of {choices}").format(
            choices=", ".join(str(getattr(c, "value", c)) for c in choices)
        )
    if getattr(descriptor, "annotation", None) is int:
        bounds = _range_of(param)
        if bounds:
            return _("a whole number ({bounds})").format(bounds=bounds)
        return _("a whole number")
    return message
