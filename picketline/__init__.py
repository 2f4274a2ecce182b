"""Picketline: a self-hosted, privacy-first platform for solidarity campaigns."""

__version__ = "0.1.0"
