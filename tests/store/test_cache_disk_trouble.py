"""Issue 13, disk trouble without loss, for the offline cache: a cache another program holds, or a
data folder that is full or read-only, never sets the saved event list aside and never stops the
box office: the file is left as it is, a cache in memory stands in, and the cashier reads why.
(A damaged cache is set aside: tests/store/test_cache.py and tests/ui/test_offline.py.)"""
from __future__ import annotations

import errno
import hashlib
import os

import pytest

from boxoffice.store.cache import OfflineCache
from tests.store.test_cache import events
from tests.support.disk import hold_write_lock


@pytest.fixture
def path(tmp_path):
    return tmp_path / "profile" / "cache.sqlite3"


def test_a_cache_held_by_another_program_is_left_with_its_saved_list(path, monkeypatch):
    monkeypatch.setattr(OfflineCache, "busy_timeout", 0.05)
    shows = events(2, 2)
    with OfflineCache.open(path) as cache:
        cache.save_events(shows)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with hold_write_lock(path, exclusive=True):          # e.g. a backup tool copying it
        with OfflineCache.open(path) as cache:
            assert cache.path is None                    # in memory for this session
            assert "another program is using it" in cache.recovered_notice
            assert cache.load_events() is None
            cache.save_events(shows)                      # works, in memory
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not list(path.parent.glob(path.name + ".corrupt-*"))
    with OfflineCache.open(path) as cache:               # the lock is gone: the list is there
        assert cache.recovered_notice is None and cache.load_events().events == shows


@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "the disk is full"),
                                              (errno.EROFS, "read-only")])
def test_a_data_folder_that_cannot_be_written_opens_a_cache_in_memory(path, monkeypatch, code,
                                                                      reason):
    # the tests run as root, who ignores folder permissions: the OS's answer is injected
    real_open = os.open

    def refusing_open(name, flags, *args, **kwargs):
        if str(name) == str(path) and flags & os.O_CREAT:
            raise OSError(code, os.strerror(code), str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    with OfflineCache.open(path) as cache:
        assert reason in cache.recovered_notice
        cache.save_events(events(1, 1))
        assert len(cache.load_events().events) == 1
    assert not path.exists()
