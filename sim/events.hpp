#pragma once
// The row type of the event log: what the world emits during a step
// (EventLog::emit() in sim/world.hpp) and the run file keeps in /events.

#include <cstdint>

namespace airace {

// A row of /events. `type` indexes RunRecord::event_types; kinds are AgentKind
// values; agent and other are indices into their kind's table (-1: none).
struct EventRow {
    std::int32_t step = 0;
    double time = 0;
    std::int32_t type = 0;
    std::int32_t agent_kind = 0;
    std::int64_t agent = -1;
    std::int32_t other_kind = 0;
    std::int64_t other = -1;
    double amount = 0;  // money (USD) or compute (FLOP), by event type
    double value = 0;   // a second quantity (capability, valuation, ...)
};

}  // namespace airace
