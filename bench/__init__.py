"""Benchmarks of the DESIGN.md budgets: `make bench` (python -m bench) runs them all and prints a summary.

They print ratios and counts; they are not tests and nothing in pytest asserts them.
"""
