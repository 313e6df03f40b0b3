"""Build-time include: the top-level ``resources/`` folder ships inside the package.

Everything else about the build is in ``pyproject.toml``. The project keeps ``resources/`` at the
top level (icons, style sheet, translation tooling); a wheel must still carry the style sheet and
the icons, so the ``build_py`` step copies ``resources/styles`` and ``resources/icons`` into the
built package as ``boxoffice/resources/...``. ``boxoffice/ui/resources.py`` reads them there
through ``importlib.resources`` and falls back to the top-level folder in a checkout (editable
installs, ``python main.py``) and in the PyInstaller bundle (``packaging/boxoffice.spec``).
"""
from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("styles", "icons")   # subfolders of resources/ the app reads at run time


def _shipped_files() -> list[tuple[Path, Path]]:
    """(source file, path relative to the built package) for every shipped resource."""
    pairs = []
    for sub in SHIPPED:
        folder = ROOT / "resources" / sub
        for src in sorted(folder.iterdir()):
            if src.is_file():
                pairs.append((src, Path("boxoffice") / "resources" / sub / src.name))
    return pairs


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's resources/ directly
        for src, rel in _shipped_files():
            dst = Path(self.build_lib) / rel
            self.mkpath(str(dst.parent))
            self.copy_file(str(src), str(dst))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs += [str(Path(self.build_lib) / rel) for _src, rel in _shipped_files()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithResources})
