// Compiled against the agents layer's include root by the layering test
// (tests/layering/check_build.sh): agents may not include the sim layer above
// it, so this file must fail to compile with "sim/world.hpp" not found.
#include "sim/world.hpp"

int airace_layering_upward_probe() { return 0; }
