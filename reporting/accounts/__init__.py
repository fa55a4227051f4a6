"""What leaves the system of a year's accounts: the «Rekneskap ÅÅÅÅ» PDF and workbook, and the
workbook read back (the template the project leader fills in)."""
