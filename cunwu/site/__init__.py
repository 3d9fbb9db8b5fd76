"""Village sites: records → a rendered Markdown tree → built HTML → published.

Owns the render, build and publish stages for one site at a time. `pages`
fills the page templates, `markup` is the one place clerk text is sanitised,
`charts` and `opendata` write SVG and CSV/JSON, `config` derives a site's
mkdocs.yml; `engine` calls MkDocs on one rendered tree, `workers` and
`distributed` run many such builds, `stamps` decides what needs building,
`postbuild`, `search` (the Pagefind index, made reproducible by
`pagefind_canon`) and `csp` are post-build steps, and `publish` makes the
county-wide search index and swaps the built county into `site/`. Imports
records, never county or clerk.
"""
