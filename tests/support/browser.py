"""The system browser / PDF viewer stand-in: records what the app asked it to open (the one
thing besides the keychain that tests replace)."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QUrl


@dataclass
class Browser:
    opened: list[str] = field(default_factory=list)
    #: keep only the last this many (an evening opens hundreds of pages); None: keep all
    keep: int | None = None

    def __call__(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        if self.keep is not None:
            del self.opened[:-self.keep]
        return True
