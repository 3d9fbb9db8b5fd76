"""The clerk's tools: `cunwu new`, `cunwu import`, `cunwu serve` and the commit hook.

Everything a village clerk runs to write records: ready-to-fill files from the
annotated templates in `templates/`, spreadsheet import from accounting
software, a live preview of one village and the pre-commit check. They write
only into the clerk's own village folder and never publish.
"""
