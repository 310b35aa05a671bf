"""The reader's module name before it became the package airace
(tools/python/airace): `import airace_h5` still works and is the package."""

import airace
from airace import *  # noqa: F401,F403

__all__ = airace.__all__
