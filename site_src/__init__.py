"""Limber: a static site generator for clear, safe, printable stretch guides."""
