"""Interpreter switches for bulk work (landuse._bulk): scoped, shared, always put back."""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest

import landuse as lu
from landuse._bulk import _madvise_switch, bulk, without_gc


def test_collection_is_off_inside_and_back_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), without_gc():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_caller_who_turned_collection_off_keeps_it_off():
    gc.disable()
    try:
        with without_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_and_concurrent_steps_put_back_what_they_found():
    switch = _madvise_switch()
    if switch is None:
        pytest.skip("this numpy has no huge-page switch")
    get, _ = switch
    before = get()
    inside: list[bool] = []
    barrier = threading.Barrier(2)

    def step() -> None:
        with bulk():
            barrier.wait(timeout=10)  # both inside at once
            with bulk():
                inside.append(get())
            barrier.wait(timeout=10)
            inside.append(get())

    threads = [threading.Thread(target=step) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inside == [False] * 4
    assert get() == before


def test_public_steps_run_without_huge_page_requests(ledger, monkeypatch):
    switch = _madvise_switch()
    if switch is None:
        pytest.skip("this numpy has no huge-page switch")
    get, _ = switch
    seen: list[bool] = []
    from landuse import areas

    real = areas.measure_m2

    def spying(*args, **kwargs):
        seen.append(get())
        return real(*args, **kwargs)

    monkeypatch.setattr(areas, "measure_m2", spying)
    before = get()
    lu.add_areas(ledger)
    assert seen == [False] and get() == before
    assert np.isfinite(lu.add_areas(ledger)["area_m2"]).all()
