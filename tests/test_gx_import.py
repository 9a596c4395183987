"""Great Expectations' import in an ingest leaves scipy.stats for its first use, and that use
still gets the whole module (`pipelines.quality.gx_import`)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from pipelines.quality.gx_import import _import_great_expectations
_import_great_expectations()
import great_expectations.expectations  # every expectation class, the KL divergence's too
print(type(sys.modules["scipy.stats"]).__name__)
from scipy import stats
# the entropy of a fair coin in nats is ln 2 = 0.693147...
print(round(float(stats.entropy([0.5, 0.5])), 6))
print(type(sys.modules["scipy.stats"]).__name__)
"""


def test_scipy_stats_waits_for_its_first_use() -> None:
    # A fresh interpreter: nothing of scipy is loaded before GX is imported.
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.split() == ["_LazyModule", "0.693147", "module"]
