"""Launch the VdM Box Office desktop app (see README.md)."""
from boxoffice.app import main

if __name__ == "__main__":
    raise SystemExit(main())
