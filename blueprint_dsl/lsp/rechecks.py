"""The open blueprints to check again once the typing in a file they include, or in them, pauses.

A change to a file that other open blueprints include changes what they read. Checking
each of them again at every keystroke would hold up everything after it, the answers
about the file being typed in too: the server handles one message at a time, and a
blueprint of a hundred lines takes 15 to 20 ms to check, so ten of them open would add
a sixth of a second to each keystroke. They are checked once the changes pause for
``DELAY`` seconds; a request about one of them checks it first, so no answer is made
from an include's older text.

So is a blueprint being typed in whose check takes ``SLOW`` seconds or more (one of a
thousand actions takes about half a second): checked at each keystroke, a burst of them
would queue one check each, and a hover behind them would wait for all. Only its last
text is checked, once the typing pauses or a request that reads its analysis comes
first (completion and highlight, asked at each keystroke, do not: ``drafts``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

#: Seconds without a change to a file before the open blueprints including it are checked again.
DELAY = 0.25
#: Seconds a check of a blueprint may take for a change to it to be checked at once.
SLOW = 0.1


class Rechecks:
    """The open documents due to be checked again, and the timer that checks them."""

    def __init__(self, check: Callable[[str], object], failed: Callable[[Exception], object]) -> None:
        self._check = check
        #: Told of a check that raised: the other documents due are checked all the same.
        self._failed = failed
        self._due: dict[str, None] = {}  # by URI, in the order they fell due
        self._timer: asyncio.TimerHandle | None = None

    def later(self, uris: Iterable[str]) -> None:
        """Check ``uris`` again once ``DELAY`` seconds pass with no more falling due: each call starts the wait anew."""
        due = dict.fromkeys(uris)
        if not due:
            return
        self._due.update(due)
        if self._timer is not None:
            self._timer.cancel()
        try:
            self._timer = asyncio.get_running_loop().call_later(DELAY, self._check_due)
        except RuntimeError:  # no loop to wait on (a server run without asyncio): check them now
            self._timer = None
            self._check_due()

    def now(self, uri: str) -> None:
        """Check ``uri`` at once if it is due: a request is about to read its analysis."""
        if uri in self._due:
            self.forget(uri)
            self._check(uri)

    def cancel(self) -> None:
        """Check nothing more: the client is shutting the server down."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._due.clear()

    def forget(self, uri: str) -> None:
        """``uri`` no longer due: it was checked, or closed."""
        self._due.pop(uri, None)

    def _check_due(self) -> None:
        self._timer = None
        while self._due:
            uri = next(iter(self._due))
            self.forget(uri)
            try:
                self._check(uri)
            except Exception as error:  # one document's fault must not leave the others stale
                self._failed(error)
