"""cunwu — village affairs disclosure sites (村务公开) from plain records."""

__version__ = "0.1.0"
