"""The public API of ``greenpark`` and the import rule of the package layers.

The import rule (docs/architecture.md): core <- io/store <- loaders/metrics <- report/demo
<- cli. A module may import from its own layer or a lower one, never a higher one, and
only greenpark/cli/ imports click. Imports inside functions count too.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
import types
from importlib import import_module
from pathlib import Path

import pytest

import greenpark as gp

PACKAGE = Path(gp.__file__).parent
HEAVY = ("pandas", "duckdb", "pvlib", "pint", "numpy", "matplotlib")

# Layer rank of each top-level part of the package; a module may import ranks <= its own.
LAYERS = {
    "core": 0,
    "io": 1,
    "store": 1,
    "loaders": 2,
    "metrics": 2,
    "report": 3,
    "demo": 3,
    "lake": 3,
    "cli": 4,
}


def all_submodules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(gp.__path__, prefix="greenpark."))


def test_every_public_name_resolves_to_its_documented_object():
    for name, target in gp._API.items():
        module_name, attr = target.split(":")
        obj = getattr(gp, name)
        assert obj is getattr(import_module(module_name), attr), name
        assert not isinstance(obj, types.ModuleType), name
        assert callable(obj), name
    assert set(gp.__all__) == {"__version__", *gp._API}
    assert set(gp._API) <= set(dir(gp))


def test_no_top_level_submodule_shares_a_name_with_the_api():
    top_level = {info.name for info in pkgutil.iter_modules(gp.__path__)}
    assert {"core", "metrics", "cli", "store"} <= top_level  # the listing works
    assert top_level.isdisjoint(gp.__all__), top_level & set(gp.__all__)


def test_importing_every_submodule_shadows_no_public_name():
    modules = all_submodules()
    assert "greenpark.metrics.energy" in modules
    for name in modules:
        import_module(name)
    test_every_public_name_resolves_to_its_documented_object()
    # the README regression of issue 10: gp.energy once, then the module, then gp.energy
    import greenpark.metrics.energy  # noqa: F401

    assert callable(gp.energy) and gp.energy.__name__ == "energy"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_metric'"):
        gp.no_such_metric  # noqa: B018


def test_import_greenpark_imports_no_heavy_library():
    code = (
        "import sys, greenpark as gp\n"
        "gp.Period, gp.Finding, gp.Result, gp.load_park_config, gp.GreenparkError\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, name: str | None = None) -> set[str]:
    """Every module name imported anywhere in ``path`` (relative imports resolved)."""
    here = (name or module_name(path)).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names.add(".".join(base + ([node.module] if node.module else [])))
            else:
                names.add(node.module)
    return names


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "greenpark" else None


def test_every_module_belongs_to_a_layer():
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        assert name == "greenpark" or layer(name) in LAYERS, f"{name}: no layer in LAYERS"


def test_imports_only_go_down():
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        own = layer(name)
        for imported in imported_names(path):
            target = layer(imported)
            if imported == "click" or imported.startswith("click."):
                if own != "cli":
                    violations.append(f"{name} imports click")
            elif name == "greenpark" and imported.startswith("greenpark."):
                violations.append("greenpark/__init__.py imports a submodule eagerly")
            elif own and target in LAYERS and LAYERS[target] > LAYERS[own]:
                violations.append(f"{name} ({own}) imports {imported} ({target})")
    assert violations == []


def test_the_rule_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text(
        "def f():\n    import click\n    from ..report import html\n    from . import units\n"
    )
    found = imported_names(source, "greenpark.metrics.carbon.mod")
    assert found == {"click", "greenpark.metrics.report", "greenpark.metrics.carbon"}
    assert layer("greenpark.core.config.park") == "core"
    assert layer("click") is None


def test_no_module_is_over_600_lines():
    """The readability rule of docs/architecture.md: small modules."""
    over = [
        f"{path.relative_to(PACKAGE.parent)}: {n} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert over == []
