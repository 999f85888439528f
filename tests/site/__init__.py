"""Tests of The publication site, in Python and in a real browser."""
