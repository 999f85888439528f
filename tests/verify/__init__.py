"""Tests of notices verify: the real-client checks."""
