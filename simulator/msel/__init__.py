"""The MSEL (master scenario events list) as CSV and XLSX, to and from a scenario."""
