// Fuzz target: bytes -> a file sealed again -> read_run_file -> a run resumed
// from its last checkpoint for one step, as `airace run --resume`, `airace
// fork` and `airace sweep --resume` restore worlds from files written
// elsewhere. A checkpoint whose columns disagree with the world built from
// the stored configuration must end in one of airace's errors (exit code 2
// or 1), never a crash, an out-of-bounds read or a hang.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "config/config_yaml.hpp"
#include "output/reader.hpp"
#include "record/run.hpp"
#include "base/errors.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-checkpoint-");
    if (!airace::fuzz::write_file(path, data, size)) return 0;
    airace::fuzz::reseal(path, size);
    try {
        const airace::RunRecord record = airace::read_run_file(path);
        if (!record.checkpoints.empty()) {
            airace::RunOptions options;
            options.threads = 1;
            options.checkpoint_every = 0;
            options.resume_from = &record;
            options.resume_step = record.checkpoints.back().step;
            options.stop_after = 1;
            (void)airace::run(airace::load_scenario_text(record.config_yaml, path + ":/config"), options);
        }
    } catch (const airace::RunFileError&) {
    } catch (const airace::ConfigError&) {
    } catch (const airace::RuntimeFailure&) {
    }
    std::remove(path.c_str());
    return 0;
}
