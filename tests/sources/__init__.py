"""Tests of YAML → model: bad input, the corpus of broken trees, the character rule, check covering build."""
