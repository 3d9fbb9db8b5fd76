"""The county: rollups over every village and the portal that publishes them.

Owns what a county (and the city or province above it) sees: reporting
periods, timeliness of each village's disclosures, procedural defects, the
quarter's inspection sample, the rollup tables and their open data, and the
portal site rendered from them. Imports records and site; never clerk.
"""
