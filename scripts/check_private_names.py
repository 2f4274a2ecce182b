#!/usr/bin/env python3
"""Fail when our code reaches for a dependency's private names or patches a dependency.

A name that starts with an underscore is the dependency's own business: it may change in any
release, so a security upgrade stops being a one-line change. The same goes for replacing a
dependency's functions or attributes at run time. This reads our files with the standard
library's ``ast`` only (and, to learn what a dependency's class defines, that class's source
file found on ``sys.path``, also read with ``ast`` and never imported). It flags

* imports of an underscore name, or from an underscore module, of a third-party package, and
  imports from another package's ``management.commands`` (use ``call_command``);
* ``obj._name``, ``getattr(obj, "_name")`` and friends (``setattr``, ``object.__setattr__``...);
* ``obj.__dict__["_name"]`` / ``vars(obj)["_name"]`` (and ``.get``/``.pop``/``.setdefault``);
* in a class with a third-party base: a method that overrides a private method of that base,
  ``self._name`` for a private name the base defines, and a ``self._name`` read of a name this
  module never sets (so it can only come from the base);
* assigning to or deleting an attribute of an imported third-party module or class (or an alias
  of one), ``setattr``/``delattr`` on one (whatever the name), and ``mock.patch`` of one;
* string literals that are keys of Django internals (``request.META["CSRF_COOKIE"]``...).

It allows ``self._x``/``cls._x`` that our own classes set; ``obj._x`` when ``obj`` is one of
our own names (imported from our packages, or defined in this file) or ``_x`` is an attribute
or method of one of our own plain classes in this file; and the few underscore names that are
public API (``Model._meta``, the namedtuple methods).

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
PUBLIC_UNDERSCORE = {"_meta", "_default_manager", "_base_manager", "_replace", "_asdict"}
PUBLIC_UNDERSCORE |= {"_fields", "_field_defaults", "_make"}
# Keys that Django uses internally and does not document.
INTERNAL_KEYS = {
    "CSRF_COOKIE",
    "CSRF_COOKIE_NEEDS_UPDATE",
    "CSRF_COOKIE_USED",
    "_auth_user_id",
    "_auth_user_backend",
    "_auth_user_hash",
    "_password_reset_token",
}
ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "hasattr", "delattr"}
ATTRIBUTE_DUNDERS = {"__getattribute__", "__getattr__", "__setattr__", "__delattr__"}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_third_party(module: str) -> bool:
    top = module.split(".")[0]
    return bool(top) and top not in OWN_PACKAGES and top not in sys.stdlib_module_names


def bindings(body: list[ast.stmt], package: str = "") -> dict[str, str]:
    """Local name -> dotted path of what the top-level imports of a module bind."""
    bound = {}
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = ".".join(p for p in (base if node.level else "", node.module or "") if p)
            if node.level and not package:  # a file we check: relative means our own
                module = f".{module}"
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{module}.{alias.name}"
    return bound


def dotted(expr: ast.AST, bound: dict[str, str]) -> str | None:
    """``models.Model`` -> ``django.db.models.Model`` when ``models`` is imported."""
    if isinstance(expr, ast.Attribute):
        owner = dotted(expr.value, bound)
        return owner and f"{owner}.{expr.attr}"
    return bound.get(expr.id) if isinstance(expr, ast.Name) else None


class Sources:
    """The private names that classes of dependencies define, read from their source files."""

    def __init__(self) -> None:
        self.modules: dict[str, tuple[ast.Module, str] | None] = {}

    def module(self, name: str) -> tuple[ast.Module, str] | None:
        if name not in self.modules:
            self.modules[name] = None
            for root in [Path.cwd(), *map(Path, sys.path[1:])]:
                base = root.joinpath(*name.split("."))
                for file, package in ((base / "__init__.py", name), (base.with_suffix(".py"), "")):
                    if file.is_file():
                        package = package or name.rpartition(".")[0]
                        tree = ast.parse(file.read_bytes(), filename=str(file))
                        self.modules[name] = (tree, package)
                        return self.modules[name]
        return self.modules[name]

    def private_names(self, path: str, seen: set[str] | None = None) -> set[str]:
        """Private names of the third-party classes among the class at ``path`` and its bases."""
        seen = set() if seen is None else seen
        module_name, _, name = path.rpartition(".")
        found = self.module(module_name) if path not in seen and module_name else None
        seen.add(path)
        if found is None:
            return set()
        tree, package = found
        bound = bindings(tree.body, package)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                names = set()
                if is_third_party(module_name):
                    names = {n for n in defined_in_class(node) if is_private(n)}
                for base in node.bases:
                    base_path = dotted(base, bound) or (
                        isinstance(base, ast.Name) and f"{module_name}.{base.id}"
                    )
                    names |= self.private_names(base_path, seen) if base_path else set()
                return names
        if name in bound:
            return self.private_names(bound[name], seen)
        for node in tree.body:  # star imports
            if isinstance(node, ast.ImportFrom) and node.names[0].name == "*":
                star = bindings([node], package)["*"].removesuffix(".*")
                names = self.private_names(f"{star}.{name}", seen)
                if names:
                    return names
        return set()


SOURCES = Sources()


def defined_in_class(node: ast.ClassDef) -> set[str]:
    """Names a class body binds, and attributes its methods set or read on self and cls."""
    names = set()
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        for target in targets_of(statement):
            if isinstance(target, ast.Name):
                names.add(target.id)
    for sub in ast.walk(node):
        if is_self_attribute(sub):
            names.add(sub.attr)
    return names


def targets_of(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign | ast.Delete):
        return node.targets
    return [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign | ast.NamedExpr) else []


def is_self_attribute(node: ast.AST, store: bool = False) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"self", "cls"}
        and (not store or isinstance(node.ctx, ast.Store | ast.Del))
    )


class Checker(ast.NodeVisitor):
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.findings: list[tuple[int, str]] = []
        self.classes: list[tuple[ast.ClassDef, set[str] | None]] = []
        imported = bindings(tree.body)
        self.bound = {name: path for name, path in imported.items() if is_third_party(path)}
        self.in_file = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        defs = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        self.own_names = {n.name for n in ast.walk(tree) if isinstance(n, defs)}
        self.own_names |= {"self", "cls"} | (set(imported) - set(self.bound))
        self.module_sets: set[str] = set()  # what any class of this module sets on itself
        self.own_attributes: set[str] = set()  # ... and what our own plain classes define
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr):
                self.note_assignment(node)
            elif is_self_attribute(node, store=True):
                self.module_sets.add(node.attr)
            elif isinstance(node, ast.ClassDef):
                names = defined_in_class(node)
                self.module_sets |= {s.name for s in node.body if hasattr(s, "name")}
                if self.third_party_bases(node) is None:
                    self.own_attributes |= names

    def note_assignment(self, node: ast.Assign | ast.AnnAssign | ast.NamedExpr) -> None:
        """``_c = connection`` makes ``_c`` a dependency's; ``_CACHE = {}`` is our own."""
        for target in (t for t in targets_of(node) if isinstance(t, ast.Name)):
            path = node.value is not None and dotted(node.value, self.bound)
            if path:
                self.bound[target.id] = path
            elif target.id.isupper() or is_private(target.id):
                self.own_names.add(target.id)

    def third_party_bases(self, node: ast.ClassDef, seen: frozenset = frozenset()) -> set | None:
        """Private names the class inherits from dependencies; None when it has no such base."""
        inherited: set[str] | None = None
        for base in node.bases:
            path = dotted(base, self.bound)
            if path:
                inherited = (inherited or set()) | SOURCES.private_names(path)
            elif isinstance(base, ast.Name) and base.id in self.in_file and base.id not in seen:
                names = self.third_party_bases(self.in_file[base.id], seen | {node.name})
                if names is not None:
                    inherited = (inherited or set()) | names
        return inherited

    def report(self, node: ast.AST, message: str) -> None:
        self.findings.append((node.lineno, message))

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
                self.report(node, f"imports private {alias.name} from {module}")

    def check_module(self, node: ast.AST, module: str) -> None:
        if not is_third_party(module):
            return
        private = [part for part in module.split(".") if is_private(part)]
        if private:
            self.report(node, f"imports from private module {module}")
        if ".management.commands" in module:
            self.report(node, f"imports {module}: run the command with call_command instead")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:  # noqa: N802
        inherited = self.third_party_bases(node)
        for statement in node.body:
            name = getattr(statement, "name", "")
            if inherited and is_private(name) and name in inherited:
                self.report(statement, f"{node.name} overrides private {name} of a dependency")
        self.classes.append((node, inherited))
        self.generic_visit(node)
        self.classes.pop()

    def visit_Attribute(self, node: ast.Attribute) -> None:  # noqa: N802
        self.check_attribute(node, node.value, node.attr)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.stmt) -> None:  # noqa: N802
        for target in targets_of(node):
            if isinstance(target, ast.Attribute) and dotted(target.value, self.bound):
                self.report(node, f"replaces {ast.unparse(target)} of a dependency")
        self.generic_visit(node)

    visit_AugAssign = visit_AnnAssign = visit_Delete = visit_Assign  # noqa: N815

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        func, args = node.func, node.args
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in ATTRIBUTE_FUNCTIONS | ATTRIBUTE_DUNDERS and isinstance(func, ast.Attribute):
            if not (isinstance(func.value, ast.Name) and func.value.id in {"object", "type"}):
                args = [func.value, *args]  # obj.__setattr__("_x", value), not object.__setattr__
        if name in ATTRIBUTE_FUNCTIONS | ATTRIBUTE_DUNDERS and len(args) >= 2:
            if isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
                self.check_attribute(node, args[0], args[1].value)
            if ("set" in name or "del" in name) and dotted(args[0], self.bound):
                self.report(node, f"{name} on {ast.unparse(args[0])} of a dependency")
        if name in {"get", "pop", "setdefault"} and args and isinstance(func, ast.Attribute):
            self.check_dict_key(node, func.value, args[0])
        if name == "patch" or (name == "object" and getattr(func.value, "attr", "") == "patch"):
            target = args[0] if args else None
            if isinstance(target, ast.Constant) and is_third_party(str(target.value)):
                self.report(node, f"patches {target.value}")
            elif target is not None and dotted(target, self.bound):
                self.report(node, f"patches {ast.unparse(target)}")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:  # noqa: N802
        self.check_dict_key(node, node.value, node.slice)
        self.generic_visit(node)

    def check_dict_key(self, node: ast.AST, mapping: ast.AST, key: ast.AST) -> None:
        """``obj.__dict__["_x"]`` and ``vars(obj)["__class__"]`` go behind attribute access."""
        is_dict = isinstance(mapping, ast.Attribute) and mapping.attr == "__dict__"
        is_vars = isinstance(mapping, ast.Call) and getattr(mapping.func, "id", "") == "vars"
        if (is_dict or is_vars) and isinstance(key, ast.Constant):
            if str(key.value).startswith("_"):
                self.report(node, f"uses {key.value} through {ast.unparse(mapping)}")

    def visit_Expr(self, node: ast.Expr) -> None:  # noqa: N802 - a docstring is no key
        if not isinstance(node.value, ast.Constant):
            self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:  # noqa: N802
        if node.value in INTERNAL_KEYS:
            self.report(node, f"uses {node.value!r}, a key Django does not document")

    def check_attribute(self, node: ast.AST, owner: ast.AST, name: str) -> None:
        if not is_private(name) or name in PUBLIC_UNDERSCORE:
            return
        inherited = self.classes[-1][1] if self.classes else None
        if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
            if inherited is not None and name in inherited:
                self.report(node, f"uses private {name} that {owner.id} inherits from a dependency")
            elif inherited is not None and name not in self.module_sets:
                self.report(node, f"reads {name}, which only a dependency's base class can set")
            return
        if name in self.own_attributes:
            return
        if isinstance(owner, ast.Name) and owner.id in self.own_names:
            return
        self.report(node, f"uses private attribute {name} of {ast.unparse(owner)}")


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
        lines += [f"{path}:{lineno}: {message}" for lineno, message in sorted(checker.findings)]
    return lines


def main(argv: list[str]) -> int:
    findings = check(argv or ["picketline", "bench"])
    for line in findings:
        print(line)
    if findings:
        print(f"{len(findings)} private name(s) or patches of dependencies", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
