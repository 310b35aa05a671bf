#include "base/errors.hpp"

#include <cstdio>
#include <cstdlib>

namespace airace {

void assertion_failed(const char* expr, const char* file, int line) {
    std::fprintf(stderr, "airace: internal error: assertion '%s' failed at %s:%d\n", expr, file,
                 line);
    std::abort();
}

}  // namespace airace
