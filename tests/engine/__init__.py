"""Tests of Addresses, amendments, 改め文, 新旧対照表, and the engine at scale."""
