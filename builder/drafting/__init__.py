"""What a drafter runs on the sources: every rule of `notices check` (check), and new-
amendment and amend-from (amendments).
"""
