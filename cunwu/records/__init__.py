"""Records: what a village's clerk wrote, as typed data, and what is wrong with it.

Owns the first two stages of the flow. `source` reads bytes into text and YAML
that remembers every line; `models` are the frozen pydantic record kinds;
`load` turns a county folder into `County`/`Village` with `Doc[T]` records that
keep their file and line; `checks` applies the domain rules (one module a
record kind; `check` re-exports them under the old name) and `privacy` finds
personal numbers, both reporting into a `diagnostics.Report`; `cache` keeps
checked villages between builds; `months` and `money` are the month and yuan
arithmetic every stage shares. Nothing here imports the site, the county or
the clerk's tools.
"""
