from __future__ import annotations

import pytest

from boxoffice.i18n import set_language


@pytest.fixture(autouse=True)
def restore_language():
    yield
    set_language("en")
