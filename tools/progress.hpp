#pragma once
// Progress on stderr: a redrawn bar on a terminal, a plain line every 10%
// otherwise, nothing with --quiet.

#include <chrono>
#include <string>

namespace airace {

class Progress {
public:
    Progress(std::string label, bool quiet);
    void update(int done, int total);
    void finish();

private:
    std::string label_;
    bool quiet_ = false;
    bool terminal_ = false;
    int last_decile_ = -1;
    bool drew_ = false;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace airace
