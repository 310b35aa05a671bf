#include "sim/step.hpp"

#include "base/profile.hpp"
#include "sim/phases/phases.hpp"

namespace airace {

void step(World& world) {
    // begin_step zeroes the step's flows, then the nine phases of
    // docs/model.md section 1 run in order, each timed under its name when a
    // profiler is attached.
    struct Phase {
        const char* name;
        void (*run)(World&);
    };
    static constexpr Phase phases[] = {
        {"0 begin step", begin_step},
        {"1 environment", phase_environment},
        {"2 decide", phase_decide},
        {"3 capital market", phase_capital_market},
        {"4 compute market", phase_compute_market},
        {"5 data market", phase_data_market},
        {"6 train and release", phase_train_and_release},
        {"7 product market", phase_product_market},
        {"8 regulate", phase_regulate},
        {"9 account", phase_account},
    };
    for (const Phase& phase : phases) {
        const ProfileScope scope(world.profiler, phase.name);
        phase.run(world);
    }
    ++world.step;
}

}  // namespace airace
