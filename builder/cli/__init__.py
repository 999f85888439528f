"""The `notices` command line (main)."""
