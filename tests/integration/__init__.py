"""Tests of The whole: golden texts, reproducible builds, lint and the package layers."""
