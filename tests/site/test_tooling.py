"""A missing browser or checker skips its tests on a developer's machine and fails them in CI."""

import pytest

from tests.tooling import require


def test_missing_tool_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not available"):
        require(None, "Chromium", "apt-get install chromium")


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_missing_tool_fails_in_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require(None, "Chromium", "apt-get install chromium")


def test_available_tool_neither_skips_nor_fails(monkeypatch):
    monkeypatch.setenv("CI", "true")
    require("/usr/bin/chromium", "Chromium", "apt-get install chromium")
