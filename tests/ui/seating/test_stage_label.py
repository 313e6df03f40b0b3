"""The stage label stays inside its box (issue 16, item 22: "PODIUM" overflowed the stage of the
small hall)."""
from __future__ import annotations

from PySide6.QtGui import QImage, QPainter

import pytest

from boxoffice import i18n


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_stage_label_stays_in_its_box(qtbot, lang, plans):
    from boxoffice.ui.seating import SeatingPanel

    i18n.set_language(lang)
    panel = SeatingPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.set_plan(plans.make({1: "....", 2: "....", 3: "...."}))   # a small hall: a short stage
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    for zoom in (None, 0.5, 0.3):
        if zoom is not None:
            view.zoom_by(zoom)
        img = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
        painter = QPainter(img)
        view.render(painter)
        painter.end()
        report = view.layer.last_paint
        assert report.stage_text, report
        stage = report.stage_rect
        assert stage.contains(report.stage_text_rect) or report.stage_text_rect.isEmpty(), \
            (zoom, report.stage_text, stage, report.stage_text_rect)
