"""The main window's right-hand cart area: empty and hidden until the cart side installs its widget,
then visible on both pages (list and performance)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_cart_area_holds_the_cart_widget(qtbot, tmp_path):
    from boxoffice.ui.main_window import MainWindow
    from boxoffice.ui.window_state import WindowState

    window = MainWindow(WindowState(tmp_path))
    qtbot.addWidget(window)
    window.show()
    assert window.cart_widget is None and not window.cart_area.isVisible()
    cart = QLabel("cart")
    window.set_cart_widget(cart)
    assert window.cart_widget is cart and cart.isVisible()
    assert window.content_splitter.sizes()[1] > 0
    window.stack.setCurrentWidget(window.performance_panel)
    assert cart.isVisible()
    window.show_browser()
    assert cart.isVisible()
    other = QLabel("other cart")
    window.set_cart_widget(other)
    assert cart.parent() is None and other.isVisible()
    window.set_cart_widget(None)
    assert window.cart_widget is None and not window.cart_area.isVisible()
    # The splitter position is remembered; an empty cart area stays hidden after a restart.
    window.save_state()
    again = MainWindow(WindowState(tmp_path))
    qtbot.addWidget(again)
    again.show()
    assert not again.cart_area.isVisible()
