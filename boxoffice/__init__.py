"""VdM Box Office: a desktop box office for venues that sell through VoordeMensen."""

__version__ = "0.1.0"
