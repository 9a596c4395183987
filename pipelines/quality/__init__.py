"""The data-quality gate: Great Expectations suites decide which rows load."""

from pipelines.quality.gate import QualityGate
from pipelines.quality.report import gate_summary, write_quality_report

__all__ = ["QualityGate", "gate_summary", "write_quality_report"]
