"""MHLW notices as data: sources, amendment engine, 改め文 and document writers."""
