"""Tests of The 様式: writers, prefill, stamping, and reading returns."""
