"""About can be opened from the app, as the README says (issue 16, item 19): an "About" action in
the main toolbar opens the About dialog (version and licences); the README's other claims about
the toolbar and keys are checked against the real window."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QToolBar

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _toolbar_texts(window) -> list[str]:
    bar = window.findChild(QToolBar, "mainToolbar")
    return [a.text().replace("&", "").rstrip("\u2026").strip() for a in bar.actions() if a.text()]


def test_the_readme_names_only_toolbar_items_that_exist(qtbot):
    from boxoffice.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    text = README.read_text(encoding="utf-8")
    claimed = re.findall(r"\*([A-Z][\w ]+)\*\s+in the toolbar", text)
    assert "About" in claimed
    for name in claimed:
        assert name in _toolbar_texts(window), name


def test_about_in_the_toolbar_opens_the_about_dialog(qtbot):
    from boxoffice import __version__
    from boxoffice.ui.about import AboutDialog
    from boxoffice.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.about_action.trigger()
    dialogs = [d for d in window.findChildren(AboutDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert __version__ in dialogs[0].title.text()
    dialogs[0].close()
    # a second click while one is open brings that one forward instead of stacking another
    window.about_action.trigger()
    window.about_action.trigger()
    assert len([d for d in window.findChildren(AboutDialog) if d.isVisible()]) == 1


@pytest.mark.parametrize("name", ["Refresh", "Settings"])
def test_other_toolbar_items_are_there(qtbot, name):
    from boxoffice.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert name in _toolbar_texts(window)


@pytest.mark.asyncio
async def test_a_venue_switch_adds_no_toolbar_separator(app_factory, simulator, live_profile):
    """Issue 16, item 22: each venue switch used to add one more separator to the toolbar."""
    sim = simulator()
    live_profile(sim)
    controller = app_factory(force_demo=False)
    try:
        assert await controller.start()
        bar = controller.window.findChild(QToolBar, "mainToolbar")

        def layout_of_bar() -> list[str]:
            return ["|" if a.isSeparator() else a.text() for a in bar.actions() if a.isVisible()]

        first = layout_of_bar()
        start_id = controller.profile.id
        other = next(p.id for p in controller.settings.all_profiles() if p.id != start_id)
        for target in (other, start_id, other):
            assert await controller._switch(target)
            assert layout_of_bar() == first
        assert "||" not in "".join(x if x == "|" else "a" for x in first)
    finally:
        await controller.shutdown()
