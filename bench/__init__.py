"""Benchmarks that print their figures (see README.md); not part of the application."""
