"""The benchmarks' shared parts: the pages measured (``pages``), the write paths
(``writes``), every address with real arguments (``addresses``, which the access
tests walk too) and wrk's report script. The commands are in
tools/management/commands/."""
