"""The package's layering, read from the source with `ast`.

cunwu is layered so that each stage depends only on the ones below it
(design.md: "Lower layers never import higher ones"):

    records (0) → site (1) → county (2) → clerk | pipeline (3) → cli, __main__ (4)

A module may import its own layer and any lower one; clerk and pipeline share a
rank but neither imports the other; `cunwu/__init__.py` is importable by all.
Every import counts, including those inside functions (a deferred import is
still a dependency) and relative ones (resolved against the importing module).
Modules must also not import each other in a cycle, whatever their layers.

The checker works on any folder holding a package, so the tests below also run
it on small synthetic packages to show that it reports what it should.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cunwu"

# top-level name under the package → (rank, group). Equal groups may import
# each other; otherwise only a strictly lower rank may be imported.
LAYERS: dict[str, tuple[int, str]] = {
    "records": (0, "records"),
    "site": (1, "site"),
    "county": (2, "county"),
    "clerk": (3, "clerk"),
    "pipeline": (3, "pipeline"),
    "cli": (4, "entry"),
    "__main__": (4, "entry"),
}


@dataclass(frozen=True)
class Edge:
    importer: str        # dotted module name
    imported: str        # dotted module name (a module or package of the same tree)
    file: Path
    line: int


def module_names(package: Path) -> dict[str, Path]:
    """Every module of the package folder: dotted name → file. A package is named
    by its folder (its __init__.py)."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of `name` that is a module of the tree (`a.b.func` → `a.b`)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Edge]:
    """Imports of one module that land inside the tree, wherever they stand in the file."""
    root = module.split(".")[0]
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    edges = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # `from .x import y` in a.b.c means a.b.x; in a/b/__init__.py it means a.b.x
                base = module.split(".") if is_package else module.split(".")[:-1]
                if node.level > 1:
                    base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from pkg import name`: name may be a submodule, else an attribute of pkg
            targets = [f"{stem}.{alias.name}" if alias.name != "*" else stem for alias in node.names]
        for target in targets:
            if target.split(".")[0] != root:
                continue
            resolved = _resolve(target, modules)
            assert resolved is not None, f"{path}:{node.lineno}: import of {target}, which is not in the tree"
            edge = Edge(module, resolved, path, node.lineno)
            if edge not in edges:           # `from .x import a, b` is one import of x
                edges.append(edge)
    return edges


def import_graph(package: Path) -> tuple[dict[str, Path], list[Edge]]:
    modules = module_names(package)
    edges = [edge for name, path in modules.items() for edge in imports_of(name, path, modules)]
    return modules, edges


def layer_of(module: str) -> str | None:
    """The layer name of a module (`cunwu.site.pages` → `site`); None for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def layer_violations(package: Path, layers: dict[str, tuple[int, str]] = LAYERS) -> list[str]:
    """`file:line: importer imports imported (layer a may not import layer b)`, one per offending import,
    plus one per module whose layer is not in `layers` (a new subpackage must be placed)."""
    modules, edges = import_graph(package)
    problems = []
    for name, path in modules.items():
        layer = layer_of(name)
        if layer is not None and layer not in layers:
            problems.append(f"{path}: module {name} is in no layer; add {layer!r} to LAYERS")
    for edge in edges:
        mine, theirs = layer_of(edge.importer), layer_of(edge.imported)
        if mine is None or theirs is None or mine not in layers or theirs not in layers:
            continue            # the package's own __init__, or an unplaced module reported above
        (my_rank, my_group), (their_rank, their_group) = layers[mine], layers[theirs]
        if my_group != their_group and their_rank >= my_rank:
            problems.append(f"{edge.file}:{edge.line}: {edge.importer} imports {edge.imported} "
                            f"(layer {mine} may not import layer {theirs})")
    return problems


def import_cycles(package: Path) -> list[list[str]]:
    """Each set of modules that import each other in a cycle (Tarjan's strongly
    connected components of size > 1, or a module importing itself), sorted."""
    modules, edges = import_graph(package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for edge in edges:
        graph[edge.importer].add(edge.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph[node]:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def cycle_edges(package: Path, cycle: list[str]) -> list[str]:
    """The imports that hold a cycle together, as file:line, for the failure message."""
    _, edges = import_graph(package)
    members = set(cycle)
    return [f"{e.file}:{e.line}: {e.importer} → {e.imported}" for e in edges
            if e.importer in members and e.imported in members]


# ---------------------------------------------------------------- the real package


def test_the_checker_sees_the_whole_package():
    """Guards against a vacuous pass: every file parsed, and the imports that the
    layering is about (down from each upper layer) are found."""
    modules, edges = import_graph(PACKAGE)
    assert set(modules.values()) == set(PACKAGE.rglob("*.py"))
    layers_seen = {(layer_of(e.importer), layer_of(e.imported)) for e in edges}
    for pair in (("site", "records"), ("county", "site"), ("clerk", "records"), ("pipeline", "site"),
                 ("cli", "pipeline"), ("__main__", "cli")):
        assert pair in layers_seen, pair
    # an import inside a function is seen too (cli defers each subcommand's import)
    assert any(e.importer == "cunwu.cli" and e.imported.startswith("cunwu.clerk.") for e in edges)


def test_lower_layers_never_import_higher_ones():
    problems = layer_violations(PACKAGE)
    assert problems == [], "\n".join(problems)


def test_no_import_cycles_between_modules():
    cycles = import_cycles(PACKAGE)
    assert cycles == [], "\n\n".join("\n".join(cycle_edges(PACKAGE, c)) for c in cycles)


# ---------------------------------------------------------------- the checker itself


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """A package named cunwu under `root` with these files (path → source)."""
    for name, text in files.items():
        path = root / "cunwu" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in {p.parent for p in (root / "cunwu").rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root / "cunwu"


CLEAN = {
    "__init__.py": '__version__ = "0"\n',
    "records/load.py": "from .. import __version__\nfrom .models import Ledger\n",
    "records/models.py": "class Ledger: ...\n",
    "site/pages.py": "from ..records.load import Ledger\nfrom cunwu.records import models\n",
    "county/portal.py": "from ..site import pages\n",
    "clerk/serve.py": "from ..site.pages import x\n",
    "pipeline.py": "from .county.portal import y\nfrom .records import load\n",
    "cli.py": "def main():\n    from .pipeline import build\n    from .clerk import serve\n",
    "__main__.py": "from .cli import main\n",
}


def test_a_clean_synthetic_package_passes(tmp_path):
    package = write_tree(tmp_path, CLEAN)
    assert layer_violations(package) == []
    assert import_cycles(package) == []


@pytest.mark.parametrize("file, source, importer, imported", [
    # relative, absolute, deferred inside a function, `from .. import subpackage`
    ("records/load.py", "from ..site.pages import render\n", "cunwu.records.load", "cunwu.site.pages"),
    ("records/load.py", "import cunwu.site.pages\n", "cunwu.records.load", "cunwu.site.pages"),
    ("records/load.py", "def f():\n    from ..site import pages\n", "cunwu.records.load", "cunwu.site.pages"),
    ("records/__init__.py", "from .. import site\n", "cunwu.records", "cunwu.site"),
    ("site/pages.py", "from ..county.portal import y\n", "cunwu.site.pages", "cunwu.county.portal"),
    ("clerk/serve.py", "from .. import pipeline\n", "cunwu.clerk.serve", "cunwu.pipeline"),
    ("pipeline.py", "from .clerk.serve import z\n", "cunwu.pipeline", "cunwu.clerk.serve"),
    ("county/portal.py", "from cunwu.cli import main\n", "cunwu.county.portal", "cunwu.cli"),
])
def test_an_upward_import_is_reported_with_its_file_and_line(tmp_path, file, source, importer, imported):
    before = CLEAN.get(file, "")
    package = write_tree(tmp_path, {**CLEAN, file: before + "\n" + source})
    problems = layer_violations(package)
    assert len(problems) == 1, problems
    line = before.count("\n") + 2 + next(i for i, text in enumerate(source.splitlines()) if "import" in text)
    assert problems[0].startswith(f"{package / file}:{line}: {importer} imports {imported} "), problems


def test_records_importing_site_is_reported(tmp_path):
    """The case the layering exists for, spelled out: records → site."""
    package = write_tree(tmp_path, {**CLEAN, "records/check.py": "import os\n\nfrom ..site import markup\n",
                                    "site/markup.py": "def clean(text): return text\n"})
    assert layer_violations(package) == [
        f"{package / 'records/check.py'}:3: cunwu.records.check imports cunwu.site.markup "
        "(layer records may not import layer site)"]


def test_a_module_outside_every_layer_is_reported(tmp_path):
    package = write_tree(tmp_path, {**CLEAN, "helpers/text.py": "from ..records import load\n"})
    problems = layer_violations(package)
    assert len(problems) == 2 and all("helpers" in p and "no layer" in p for p in problems), problems


def test_an_import_cycle_is_reported(tmp_path):
    package = write_tree(tmp_path, {**CLEAN,
                                    "records/models.py": "class Ledger: ...\n"
                                                         "def later():\n    from .load import x\n"})
    assert layer_violations(package) == []         # same layer: allowed, but circular
    assert import_cycles(package) == [["cunwu.records.load", "cunwu.records.models"]]
    held_by = cycle_edges(package, ["cunwu.records.load", "cunwu.records.models"])
    assert held_by == [f"{package / 'records/load.py'}:2: cunwu.records.load → cunwu.records.models",
                       f"{package / 'records/models.py'}:3: cunwu.records.models → cunwu.records.load"]


def test_a_longer_cycle_across_packages_is_reported(tmp_path):
    package = write_tree(tmp_path, {**CLEAN, "site/a.py": "from . import b\n", "site/b.py": "from .c import x\n",
                                    "site/c.py": "import cunwu.site.a\n"})
    assert import_cycles(package) == [["cunwu.site.a", "cunwu.site.b", "cunwu.site.c"]]
