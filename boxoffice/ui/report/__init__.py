"""The end-of-shift report window (``dialog``)."""
