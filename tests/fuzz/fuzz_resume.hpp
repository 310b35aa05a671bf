#pragma once
// What the checkpoint targets (fuzz_checkpoint.cpp, fuzz_run_file_edits.cpp)
// do with a file: read it as `airace run --resume`, `fork` and `sweep
// --resume` do, and resume a run from its last checkpoint for one step. Bad
// input must end in one of airace's errors (RunFileError, ConfigError or
// RuntimeFailure: exit code 2 or 1); anything else escapes to the fuzzer.

#include <string>

#include "base/errors.hpp"
#include "config/config_yaml.hpp"
#include "output/reader.hpp"
#include "record/run.hpp"

namespace airace::fuzz {

inline void read_and_resume(const std::string& path) {
    try {
        const RunRecord record = read_run_file(path);
        if (record.checkpoints.empty()) return;
        RunOptions options;
        options.threads = 1;
        options.checkpoint_every = 0;
        options.resume_from = &record;
        options.resume_step = record.checkpoints.back().step;
        options.stop_after = 1;
        (void)run(load_scenario_text(record.config_yaml, path + ":/config"), options);
    } catch (const RunFileError&) {
    } catch (const ConfigError&) {
    } catch (const RuntimeFailure&) {
    }
}

}  // namespace airace::fuzz
