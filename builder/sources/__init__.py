"""YAML → model: safe YAML with positions (yamlsafe), the character rule (textcheck), the
schemas, notices, amendments and lists (project), forms (forms), what a table must be to
be built (tablecheck), and a loaded tree (workspace).
"""
