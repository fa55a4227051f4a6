"""Setting up an agreement in the browser: the new-agreement form (forms.py, built into a plan
file by plan.py and imported by the plan file's own importer, so there is one way to create an
agreement) and the plan file uploaded, previewed (preview.py) and applied (views.py)."""
