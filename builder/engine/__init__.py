"""What the drafting rules do to the model, without I/O: addresses and units, text edits,
applying amendments (amend), writing and reading 改め文 (kaibun, kaibun_parse), the 新旧対照表
(compare), tables as records (tabular), where a 別添1 row breaks (area_lines).
"""
