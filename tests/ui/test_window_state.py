"""Window size and the list/details split are remembered per user (config folder, not the registry)."""
from __future__ import annotations

from boxoffice.ui.main_window import MainWindow
from boxoffice.ui.window_state import WindowState


def test_geometry_and_splitter_are_restored(qtbot, home):
    first = MainWindow(WindowState(home.config_dir))
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 520)  # within the offscreen screen (800x600)
    first.splitter.setSizes([250, 470])
    sizes = first.splitter.sizes()
    first.save_state()
    assert (home.config_dir / "window-state.ini").is_file()

    second = MainWindow(WindowState(home.config_dir))
    qtbot.addWidget(second)
    second.show()
    assert second.size().width() == 720 and second.size().height() == 520
    assert second.splitter.sizes() == sizes
