"""The package's layers: no module imports itself back round a cycle, and the leaf helpers
import nothing of bulletin (the layer contracts themselves: `lint-imports` in make test)."""

from __future__ import annotations

import sys

import grimp


def strongly_connected(graph) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_module_cycles():
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    assert strongly_connected(grimp.build_graph("bulletin")) == []


def test_a_cycle_is_found():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_the_leaf_helpers_import_nothing_of_bulletin():
    graph = grimp.build_graph("bulletin")
    leaf = {m for m in graph.modules if m == "bulletin.text" or m.startswith("bulletin.text.")}
    reached = {
        imported
        for module in leaf
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("bulletin")
    }
    assert reached <= leaf
