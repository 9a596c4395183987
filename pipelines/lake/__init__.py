"""The shared lake of a group's plants (SPEC §13): plain Apache Iceberg tables, one catalog.

`catalog` opens the lake (a local folder with a SQLite catalog, or a catalog URI),
`publish` writes one plant's tables into it, `read` reads the latest complete publishes, and
`group` builds the group's DuckDB warehouse from them.
"""
