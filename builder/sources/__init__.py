"""YAML → model: safe YAML with positions (yamlsafe), the character rule (textcheck), the
schemas, notices, amendments and lists (project), forms (forms), the area-table profile's
reading and what its table must be to be built (area_table), and a loaded tree
(workspace).
"""
