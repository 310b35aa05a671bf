"""Former part of the reader, now tools/python/airace/run.py."""
from airace.run import RunFile  # noqa: F401
