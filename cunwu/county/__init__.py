"""The county: rollups over every village and the portal that publishes them.

Owns what a county (and the city or province above it) sees. One concern a module,
each depending only on those above it in this list:

  periods     months, quarters and years a disclosure is due for
  facts       township and village order, names, postings, percentages
  timeliness  one cell per village and period, judged under Art. 30
  decisions   procedural defects and decisions awaiting their result
  inspection  the quarter's weighted, reproducible inspection sample
  datasets    the rollup tables: columns, types, how they compose upward
  rollup      `compute`: a county's Rollup and all its tables
  opendata    the tables as CSV + JSON and a Frictionless datapackage.json
  compose     `cunwu rollup`: published county data composed into a city
  portal      the portal's pages, from the templates in templates/

Imports records and site; never clerk.
"""
