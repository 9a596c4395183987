"""Benchmark of the whole product on deterministic scaled data, against its floors.

A package of its own, beside `pipelines/`, because it is a tool for the project's developers,
not part of the product: it runs the product the way a user does and measures it.

Every stage runs in a fresh process, so its wall time and peak memory are its own: the
parent polls the resident memory of the stage's process tree (papermill kernels included)
and a small wrapper process reports the largest single process from `getrusage`.

Stages, per delivery size (1 M and 10 M lines by default):
  generate     the scaled CSV files (cached in the work folder between runs)
  floor        DuckDB `CREATE TABLE AS SELECT * FROM read_csv(...)` of each file, typed
  ingest       `aftersales ingest FILE --source S` of each source into a fresh warehouse
  query        kpi_scorecard, kpi_by_customer_monthly (floor: one GROUP BY over deliveries)
  report       `aftersales report --month M` (floor: a trivial notebook, papermill + nbconvert)
  increment    one new month of data ingested into the largest warehouse, then reported
  lake         the largest warehouse published to a lake; ten plants of 1 M lines published
               to another, the group warehouse built (after one plant and after all),
               its scorecards queried and one month's group pack made (`bench.lake`)

The table is printed and written as JSON to reports/bench/<timestamp>.json and latest.json.

    python -m bench                 # 1 M and 10 M delivery lines (about 15 minutes)
    python -m bench --sizes 10m     # only the 10 M run
    python -m bench --quick         # small sizes, a minute or two
    python -m bench --plants 0      # without the lake stages

Modules: `plan` (what runs, in which order), `measure` (one stage in a fresh process),
`workers` (the code those processes run), `floors` (the floors and the verdicts),
`output` (table and JSON), `data` (the scaled data generator), `lake` (the lake stages).
"""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
