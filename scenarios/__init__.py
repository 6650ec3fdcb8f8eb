"""Bundled plan and scenario files."""
