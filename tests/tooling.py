"""
The external tools the page-level checks use, and one rule for when they are missing.

Chromium comes from the system (apt), axe-core and vnu.jar from `npm ci` (package-lock.json,
run by `make setup`), Java from the system. Nothing is downloaded while the tests run.
A missing tool skips its tests on a developer's machine, but fails them in CI (CI=true),
so CI can never pass without having run them.
"""

import os
import shutil
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = BASE_DIR / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_path():
    return shutil.which("chromium")


def java_path():
    return shutil.which("java")


def require(available, what, how):
    """Skip (locally) or fail (CI=true) the current test when a tool is missing."""
    if available:
        return
    message = f"{what} is not available: {how}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing tool fails the run)", pytrace=False)
    pytest.skip(message)


def require_chromium():
    require(chromium_path(), "Chromium", "apt-get install chromium (the tests never run `playwright install`)")


def require_axe():
    require(AXE_JS.is_file(), "axe-core", "run `make setup` (npm ci)")


def require_vnu():
    require(VNU_JAR.is_file(), "vnu.jar", "run `make setup` (npm ci)")
    require(java_path(), "Java", "install a Java 17+ runtime for the Nu HTML Checker")


def redis_server_path():
    return shutil.which("redis-server")


def require_redis():
    require(
        os.environ.get("REDIS_URL") or redis_server_path(),
        "Redis",
        "set REDIS_URL, or apt-get install redis-server (the tests start their own on a free port)",
    )
