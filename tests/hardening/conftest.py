"""Hardening tests run real `espresso serve` processes (fixtures: tests/support/fixtures.py)."""
