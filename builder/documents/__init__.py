"""What each document of a version's package contains (compose, with the letter templates
in templates/) and where each goes (paths).
"""
