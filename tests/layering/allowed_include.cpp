// Compiled against the agents layer's include root by the layering test
// (tests/layering/check_build.sh): including a lower layer compiles.
#include "agents/lab.hpp"
#include "base/ids.hpp"
#include "config/config.hpp"

int airace_layering_allowed_probe() { return static_cast<int>(airace::region_count); }
