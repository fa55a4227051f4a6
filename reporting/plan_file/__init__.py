"""Read and write a whole agreement as a YAML plan file (docs/plan-format.md).

Reading happens in two steps: `parse_plan` checks the whole file and turns it into plain,
normalised data (or raises `PlanFileError` listing every problem with its place), then
`import_plan` writes that data in one transaction, touching only rows that differ.

loader.py reads the YAML within bounds, reader.py checks every key and value of it
(problems.py records what is wrong, with its line; plan_data/schema.py lists the keys),
importer.py writes it to the database, history.py keeps the browser's uploads to plan content,
and exporter.py writes the plan back out as a file (plan_data holds the living plan as data and
the snapshots, which the revision and the reports share). The money has its own three:
money_reader.py, money_importer.py (accepted accounts, payments and corrections frozen) and
money_history.py (what the browser may not touch).
"""

from .exporter import export_plan
from .importer import import_plan
from .problems import PlanFileError, Problem
from .reader import parse_plan

__all__ = [
    "PlanFileError",
    "Problem",
    "export_plan",
    "import_plan",
    "parse_plan",
]
