"""Tests of The command line."""
