"""Tests of new-amendment and amend-from."""
