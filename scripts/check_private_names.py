#!/usr/bin/env python3
"""Fail when our code reaches for a dependency's private names.

A name that starts with an underscore is the dependency's own business: it may change in any
release, so a security upgrade stops being a one-line change. This looks, with the standard
library's ``ast`` only, for

* imports of an underscore name, or from an underscore module, of a third-party package;
* imports from another package's ``management.commands`` (a command's internals: call it with
  ``call_command`` instead);
* ``obj._name`` and ``getattr(obj, "_name")``, unless ``obj`` is ``self`` or ``cls``, a name of
  our own (imported from picketline, or defined in the same file), or ``_name`` is defined in
  the same file, or ``_name`` is public API despite its underscore (``Model._meta`` and the
  namedtuple methods).

Usage: scripts/check_private_names.py [paths...]   (default: picketline bench)
Prints one line per finding, ``path:line: message``, and exits 1 if there is any.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

OWN_PACKAGES = {"picketline", "tests", "bench", "scripts"}
# Underscore names that their owners document as public (Django's Model._meta and managers,
# namedtuple's methods).
PUBLIC_UNDERSCORE = {
    "_meta",
    "_default_manager",
    "_base_manager",
    "_replace",
    "_asdict",
    "_fields",
    "_field_defaults",
    "_make",
}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_third_party(module: str) -> bool:
    top = module.split(".")[0]
    return bool(top) and top not in OWN_PACKAGES and top not in sys.stdlib_module_names


class Checker(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.findings: list[tuple[int, str, str]] = []
        self.own_names, self.own_attributes = self.names_of_our_own(tree)

    @staticmethod
    def names_of_our_own(tree: ast.Module) -> tuple[set[str], set[str]]:
        """Names bound to our own code in this file, and underscore names it defines."""
        names: set[str] = {"self", "cls"}
        attributes: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (
                node.level or not is_third_party(node.module or "")
            ):
                names.update(alias.asname or alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(
                    (alias.asname or alias.name).split(".")[0]
                    for alias in node.names
                    if not is_third_party(alias.name)
                )
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
                attributes.add(node.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in {"self", "cls"}
            ):
                attributes.add(node.attr)  # an attribute our own class gives itself
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                if node.id.isupper() or is_private(node.id):
                    names.add(node.id)
                attributes.add(node.id)
        return names, {name for name in attributes if is_private(name)}

    def report(self, node: ast.AST, name: str, message: str) -> None:
        self.findings.append((node.lineno, name, message))

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802 - ast's visitor names
        for alias in node.names:
            self.check_module(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        module = node.module or ""
        if node.level or not is_third_party(module):
            return
        self.check_module(node, module)
        for alias in node.names:
            if is_private(alias.name):
                self.report(node, alias.name, f"imports private {alias.name} from {module}")

    def check_module(self, node: ast.AST, module: str) -> None:
        if not is_third_party(module):
            return
        parts = module.split(".")
        private = [part for part in parts if is_private(part)]
        if private:
            self.report(node, private[0], f"imports from private module {module}")
        if "management" in parts and "commands" in parts:
            self.report(
                node, module, f"imports {module}: run the command with call_command instead"
            )

    def visit_Attribute(self, node: ast.Attribute) -> None:  # noqa: N802
        self.check_attribute(node, node.value, node.attr)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            self.check_attribute(node, node.args[0], node.args[1].value)
        self.generic_visit(node)

    def check_attribute(self, node: ast.AST, owner: ast.AST, name: str) -> None:
        if not is_private(name) or name in PUBLIC_UNDERSCORE or name in self.own_attributes:
            return
        if isinstance(owner, ast.Name) and owner.id in self.own_names:
            return
        self.report(node, name, f"uses private attribute {name} of {ast.unparse(owner)}")


def python_files(paths: list[str]) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*.py") if "migrations" not in p.parts)


def check(paths: list[str]) -> list[str]:
    lines = []
    for path in python_files(paths):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        checker = Checker(str(path), tree)
        checker.visit(tree)
        for lineno, _name, message in checker.findings:
            lines.append(f"{path}:{lineno}: {message}")
    return lines


def main(argv: list[str]) -> int:
    findings = check(argv or ["picketline", "bench"])
    for line in findings:
        print(line)
    if findings:
        print(f"{len(findings)} private name(s) of dependencies", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
