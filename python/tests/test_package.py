"""The package as installed: its stubs cover the native module, it is marked typed, its
Python runs on 3.9, and every public name is documented."""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

from conftest import ROOT

import ecs_snapshot_rules as rules
from ecs_snapshot_rules import _native

PACKAGE = Path(rules.__file__).parent


def stub_names() -> dict:
    tree = ast.parse((PACKAGE / "_native.pyi").read_text(encoding="utf-8"))
    names: dict = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {
                item.name for item in node.body if isinstance(item, ast.FunctionDef) and not item.name.startswith("__")
            }
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = None
    return names


def test_the_stubs_name_exactly_what_the_native_module_has():
    stubs = stub_names()
    native = {name for name in dir(_native) if not name.startswith("_")}
    assert set(stubs) == native
    for name, members in stubs.items():
        if members is None:
            assert callable(getattr(_native, name))
            continue
        public = {m for m in dir(getattr(_native, name)) if not m.startswith("__")}
        assert members == public, name


def test_the_stubs_say_what_the_runtime_does():
    tree = ast.parse((PACKAGE / "_native.pyi").read_text(encoding="utf-8"))
    [names] = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
    ]
    assert names == _native.__all__
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for name, node in classes.items():
        final = any(isinstance(d, ast.Name) and d.id == "final" for d in node.decorator_list)
        try:
            type("Sub", (getattr(_native, name),), {})
            subclassable = True
        except TypeError:
            subclassable = False
        assert final is not subclassable, name
        methods = {item.name: item for item in node.body if isinstance(item, ast.FunctionDef)}
        if "__eq__" in methods:
            assert [a.arg for a in methods["__eq__"].args.posonlyargs] == ["self", "other"], name
        # A constructor is __new__ at runtime (and none for the classes only the rules make).
        assert "__init__" not in methods, name
        assert ("__new__" in methods) is (name == "Facts"), name


def test_the_package_is_marked_typed():
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_native.pyi").exists()


def test_its_python_parses_as_python_3_9():
    for path in PACKAGE.glob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 9))


def test_every_public_name_has_a_docstring():
    for name in rules.__all__:
        value = getattr(rules, name)
        assert value.__doc__ and len(value.__doc__) > 20, name
        if not isinstance(value, type):
            continue
        for member, attribute in vars(value).items():
            if not member.startswith("_"):
                assert attribute.__doc__, f"{name}.{member}"


def test_the_version_is_the_crates():
    manifest = (ROOT / "python" / "Cargo.toml").read_text(encoding="utf-8")
    version = re.search(r'^version = "([^"]+)"', manifest, re.M).group(1)
    assert rules.__version__ == version == importlib.metadata.version("ecs-snapshot-rules")


def test_the_readme_and_module_examples_are_true(monkeypatch):
    import doctest

    monkeypatch.chdir(ROOT)
    readme = doctest.testfile(str(ROOT / "python" / "README.md"), module_relative=False, globs={"rules": rules})
    module = doctest.testmod(rules)
    assert readme.failed == 0 and readme.attempted >= 3
    assert module.failed == 0 and module.attempted >= 3
