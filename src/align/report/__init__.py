"""Stage 5: render a report as JSON, TSV or a terminal table."""

from align.report.jsonfmt import report_to_dict, report_to_json
from align.report.table import report_to_table
from align.report.tsv import report_to_tsv

FORMATS = {"table": report_to_table, "json": report_to_json, "tsv": report_to_tsv}
EXTENSIONS = {"table": "txt", "json": "json", "tsv": "tsv"}

__all__ = ["EXTENSIONS", "FORMATS", "report_to_dict", "report_to_json", "report_to_table", "report_to_tsv"]
