"""The sale area: cart lines, hold countdown, message line, recovery notice (``area`` composes)."""
