"""Tests of 和暦, numbers, Japanese text."""
