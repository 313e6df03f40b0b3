"""`python -m boxoffice.demo [--order-volume N ...]`: the simulator on its own (as demo-server)."""
from __future__ import annotations

import sys

from .cli import run_server

if __name__ == "__main__":
    sys.exit(run_server())
