"""The messages of the code, found by reading it, and the .po catalogue kept in step with them."""

# `python -m tests.catalogue` adds new messages to bulletin/locale/zh_CN/LC_MESSAGES/bulletin.po
# (untranslated), drops those the code no longer has, and keeps every translation; then fill
# in the empty msgstr lines. tests/test_messages.py uses the same scan.

from __future__ import annotations

import ast
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bulletin"
PO_FILE = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "bulletin.po"
# Tuples of messages defined elsewhere and translated where shown (preflight's rule names).
MESSAGE_TUPLES = {"preflight/report.py": ("RULES",)}
HEADER = """\
# Simplified Chinese messages of bulletin. Update with `python -m tests.catalogue`.
msgid ""
msgstr ""
"Project-Id-Version: bulletin\\n"
"Language: zh_CN\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""


@dataclass
class Message:
    msgid: str
    plural: str | None = None
    places: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.msgid if self.plural is None else f"{self.msgid}\0{self.plural}"


@dataclass
class Scan:
    messages: dict[str, Message] = field(default_factory=dict)
    # Calls that cannot be translated: _() of an f-string or of a computed text.
    unusable: list[str] = field(default_factory=list)
    # Functions that call _() but also bind the name _ (the call would then fail).
    shadowed: list[str] = field(default_factory=list)

    def add(self, msgid: str, where: str, plural: str | None = None) -> None:
        message = self.messages.setdefault(
            msgid if plural is None else f"{msgid}\0{plural}", Message(msgid, plural)
        )
        message.places.append(where)


def _text(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_command(decorator) -> bool:
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("command", "callback")


def scan(package: Path = PACKAGE) -> Scan:
    """Every message of the package: _(), N_() and n_() of literal text, and command help."""
    found = Scan()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"bulletin/{relative}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name, args = node.func.id, node.args
                if name in ("_", "N_") and args:
                    if (text := _text(args[0])) is not None:
                        found.add(text, where)
                    elif name == "N_" or isinstance(args[0], ast.JoinedStr):
                        found.unusable.append(where)
                elif name == "n_" and len(args) == 3:
                    singular, plural = _text(args[0]), _text(args[1])
                    if singular is None or plural is None:
                        found.unusable.append(where)
                    else:
                        found.add(singular, where, plural)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node, clean=True)
                if doc is not None and any(_is_command(d) for d in node.decorator_list):
                    found.add(doc, where)
                if _binds_underscore(node) and _calls_underscore(node):
                    found.shadowed.append(f"{where} {node.name}")
            elif isinstance(node, ast.Assign) and relative in MESSAGE_TUPLES:
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if set(names) & set(MESSAGE_TUPLES[relative]):
                    for item in getattr(node.value, "elts", []):
                        if (text := _text(item)) is not None:
                            found.add(text, f"bulletin/{relative}:{item.lineno}")
    return found


def _own_nodes(function):
    """The nodes of a function's own scope (not of the functions and comprehensions in it)."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp)
        if not isinstance(node, (*scopes, ast.DictComp, ast.GeneratorExp)):
            stack.extend(ast.iter_child_nodes(node))


def _binds_underscore(function) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
        for n in _own_nodes(function)
    )


def _calls_underscore(function) -> bool:
    return any(
        isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_" for n in ast.walk(function)
    )


def placeholders(text: str) -> list[str]:
    """The named fields of a message (a format string), sorted; ValueError if it is not one."""
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


# ---------------------------------------------------------------- writing the .po file


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _entry(message: Message, translation: str) -> str:
    # Files only: line numbers would change the catalogue with every edit of the code.
    files = dict.fromkeys(place.rpartition(":")[0] for place in message.places)
    lines = [f"#: {' '.join(files)}"]
    if message.plural is None:
        lines += [f"msgid {_quoted(message.msgid)}", f"msgstr {_quoted(translation)}"]
    else:
        lines += [
            f"msgid {_quoted(message.msgid)}",
            f"msgid_plural {_quoted(message.plural)}",
            f"msgstr[0] {_quoted(translation)}",
        ]
    return "\n".join(lines) + "\n"


def update(po_file: Path = PO_FILE) -> tuple[int, int]:
    """Bring the catalogue in step with the code; (messages, of which untranslated)."""
    from bulletin.i18n import read_po

    known = read_po(po_file.read_text(encoding="utf-8")) if po_file.is_file() else {}
    messages = scan().messages
    entries, missing = [HEADER], 0

    def first_place(message: Message) -> tuple[str, int]:
        file, _colon, line = message.places[0].rpartition(":")
        return file, int(line)

    for key, message in sorted(messages.items(), key=lambda item: first_place(item[1])):
        translation = known.get(key, "")
        missing += not translation
        entries.append(_entry(message, translation))
    po_file.parent.mkdir(parents=True, exist_ok=True)
    po_file.write_text("\n".join(entries), encoding="utf-8")
    return len(messages), missing


if __name__ == "__main__":
    total, untranslated = update()
    print(f"{PO_FILE.relative_to(ROOT)}: {total} messages, {untranslated} untranslated")
    sys.exit(0)
