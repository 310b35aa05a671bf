"""Former part of the reader, now tools/python/airace/sweep.py."""
from airace.sweep import SweepFile  # noqa: F401
