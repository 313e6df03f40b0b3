"""A second box office for the same venue on this computer is refused with a message."""
from __future__ import annotations

import pytest


@pytest.mark.asyncio
async def test_second_instance_for_the_same_profile_is_refused(app_factory, wait):
    first = app_factory()
    second = app_factory()
    try:
        assert await first.start()
        assert not await second.start()          # refused: nothing opened
        assert second.session is None
        assert "already open" in second.refused_message(second.profile)
    finally:
        await second.shutdown()
        await first.shutdown()
    third = app_factory()                        # the lock is released on shutdown
    try:
        assert await third.start()
    finally:
        await third.shutdown()


@pytest.mark.asyncio
async def test_switching_to_a_venue_open_elsewhere_is_refused_calmly(app_factory, wait, simulator,
                                                                    live_profile):
    sim = simulator()
    profile = live_profile(sim)
    elsewhere = app_factory(force_demo=True)
    here = app_factory()
    try:
        assert await elsewhere.start()
        assert await here.start()
        assert here.profile.id == profile.id
        assert not await here._switch("demo")
        assert here.profile.id == profile.id
        assert here.window.notice_banner.isVisible()
        assert "already open" in here.window.notice_banner.text()
        assert here.window.profile_combo.currentData() == profile.id
    finally:
        await here.shutdown()
        await elsewhere.shutdown()


def test_a_data_folder_that_cannot_be_written_is_not_taken_for_another_instance(tmp_path):
    """Issue 13: a read-only data folder is not "already open" (the sales record and the offline
    copy then say what is wrong); a lock another instance holds still is. The folder is really
    read-only for the process that tries: the tests run as root, who ignores permissions, so
    that process runs as an unprivileged user."""
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from boxoffice.ui.single_instance import InstanceLock

    base = Path(tempfile.mkdtemp(prefix="ro-profile-"))
    try:
        base.chmod(0o755)
        folder = base / "profile"
        folder.mkdir(mode=0o755)
        held = InstanceLock(folder)
        assert held.acquire()                       # another instance holds it (this one)
        folder.chmod(0o555)
        code = ("import sys; from pathlib import Path; "
                "from boxoffice.ui.single_instance import InstanceLock; "
                "lock = InstanceLock(Path(sys.argv[1]) / sys.argv[2]); "
                "print(lock.acquire(), lock.unwritable)")
        as_user = {"user": 65534} if os.geteuid() == 0 else {}
        root = Path(__file__).resolve().parents[2]

        def try_lock(name: str) -> str:
            done = subprocess.run([sys.executable, "-c", code, str(base), name], cwd=root,
                                  capture_output=True, text=True, timeout=60,
                                  env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)},
                                  **as_user)
            assert done.returncode == 0, done.stderr
            return done.stdout.strip()

        assert try_lock("profile") == "False False"   # held by a running instance: refused
        held.release()
        assert try_lock("profile") == "True True"     # cannot be written: not "already open"
    finally:
        (base / "profile").chmod(0o755)
        import shutil

        shutil.rmtree(base, ignore_errors=True)
