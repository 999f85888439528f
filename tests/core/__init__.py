"""Tests of The ground floor: file names, the cache folder."""
