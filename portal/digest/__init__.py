"""The weekly digest: one email per approved member, on the day they chose, with
what is new for them since the last one (queries.py reads it, jobs.py plans and
sends it in batches)."""
