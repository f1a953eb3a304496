"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_session import CAPABILITIES, SERVER, Client


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module (tests/browser_support.py)."""
    from tests.browser_support import start_browser

    playwright, chromium = start_browser()
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture()
def tab(browser):
    """A fresh tab of the module's browser, 1600 by 1000 px, that remembers its requests and errors."""
    from tests.browser_support import new_tab

    tab = new_tab(browser)
    yield tab
    tab.page.close()


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: Client):
    """The language server in a session with a real client, one for each test module (tests/lsp_session.py)."""
    await lsp_client.initialize_session(types.InitializeParams(capabilities=CAPABILITIES))
    yield
    await lsp_client.shutdown_session()
