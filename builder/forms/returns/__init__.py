"""Filled 様式 returned by prefectures: read them (read), refuse hostile files (guard),
tampering (layout, integrity), check values (validate), records (ingest) and the
national summary (summary).
"""
