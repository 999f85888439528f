"""What a drafter runs on the sources: every rule of `notices check` (check), the record
of issued documents that no change may alter (issued, `notices issue`), and new-amendment
and amend-from (amendments).
"""
