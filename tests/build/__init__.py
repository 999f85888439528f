"""Tests of notices build: the atomic write, the output folder rule and lock, incremental builds."""
