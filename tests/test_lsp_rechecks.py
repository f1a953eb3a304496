"""The re-checks of open blueprints whose includes changed: one that fails stops none of the others."""

from __future__ import annotations

import asyncio

from blueprint_dsl.lsp.rechecks import Rechecks


def test_a_check_that_fails_is_reported_and_the_others_are_made():
    checked: list[str] = []
    errors: list[Exception] = []

    async def burst() -> None:
        done = asyncio.get_running_loop().create_future()

        def check(uri: str) -> None:
            if uri == "file:///a.svc":
                raise ValueError(f"cannot check {uri}")
            checked.append(uri)
            if len(checked) == 2:
                done.set_result(None)

        rechecks = Rechecks(check, errors.append)
        rechecks.later(["file:///a.svc", "file:///b.svc"])
        rechecks.later(["file:///c.svc"])
        await asyncio.wait_for(done, 60)  # only a guard against a check that never comes

    asyncio.run(burst())
    assert checked == ["file:///b.svc", "file:///c.svc"]
    assert [str(error) for error in errors] == ["cannot check file:///a.svc"]


def test_without_an_event_loop_the_documents_are_checked_at_once():
    checked: list[str] = []
    errors: list[Exception] = []
    rechecks = Rechecks(lambda uri: checked.append(uri) if uri != "file:///a.svc" else 1 / 0, errors.append)
    rechecks.later(["file:///a.svc", "file:///b.svc"])
    assert checked == ["file:///b.svc"]
    assert [type(error) for error in errors] == [ZeroDivisionError]
