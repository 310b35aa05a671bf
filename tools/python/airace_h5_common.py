"""Former part of the reader, now tools/python/airace/_common.py."""
from airace._common import *  # noqa: F401,F403
from airace._common import _AiraceFile, _check_format, _open_h5, _str, _strings  # noqa: F401
