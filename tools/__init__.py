"""Tools for measuring the portal, kept out of the installed package: the scale
data set (``manage.py load_scale_data``), the page and write benchmarks
(``bin/benchmark``), the profilers and the digest's throughput figure.

They run from a checkout: settings add this app only when the folder is there
(pyproject.toml's package list leaves it out of a wheel).
"""
