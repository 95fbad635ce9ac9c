"""The layout the README describes holds: import rules kept, and no module imports one that imports it back."""

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from django.conf import settings

PACKAGES = ("claims", "public", "review", "analysis", "bench", "mgreview")


def test_no_module_imports_a_module_that_imports_it_back():
    graph = grimp.build_graph(*PACKAGES)
    cycles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert cycles == []


def test_the_import_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("lint-imports is not installed: make setup-dev installs requirements-dev.txt")
    result = subprocess.run(  # noqa: S603 -- the installed tool, no outside input
        [lint_imports], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
