-- The warehouse file's storage format: the oldest DuckDB release that opens it, e.g. 'v1.4.0+'.
select tags['storage_version'] as storage_version
from duckdb_databases()
where database_name = current_database()
