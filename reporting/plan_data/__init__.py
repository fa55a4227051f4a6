"""The plan as plain data, shared below the yearly revision, the reports and the plan file:
the file's keys (schema.py), the living plan as data (living.py), frozen snapshots
(snapshots.py) and the words a measure's parts are named by (labels.py).

Reporting's packages import one way: plan_data ← revision ← outputs, plan_file ← setup.
"""
