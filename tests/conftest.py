"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module (tests/browser_support.py)."""
    from tests.browser_support import start_browser

    playwright, chromium = start_browser()
    yield chromium
    chromium.close()
    playwright.stop()
