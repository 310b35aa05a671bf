#pragma once
// What the checkpoint targets (fuzz_checkpoint.cpp, fuzz_run_file_edits.cpp)
// do with a file: read it whole, as `inspect --columns` and `replay --verify`
// do, then resume a run from its last checkpoint for one step the way
// `airace run --resume` and `fork` do (the file read as a RunPrefix, a step
// at a time, the run streamed). Bad input must end in one of airace's
// errors (RunFileError, ConfigError or RuntimeFailure: exit code 2 or 1);
// anything else escapes to the fuzzer.

#include <memory>
#include <string>

#include "base/errors.hpp"
#include "config/config_yaml.hpp"
#include "output/reader.hpp"
#include "record/record_sink.hpp"
#include "record/run.hpp"
#include "record/run_prefix.hpp"

namespace airace::fuzz {

inline void read_and_resume(const std::string& path) {
    try {
        (void)read_run_file(path);
    } catch (const RunFileError&) {
    }
    try {
        const std::unique_ptr<RunPrefix> prefix = open_run_prefix(path);
        if (prefix->summary().checkpoints.empty()) return;
        DiscardSink discard;
        RunOptions options;
        options.threads = 1;
        options.checkpoint_every = 0;
        options.continue_from = prefix.get();
        options.resume_step = prefix->summary().checkpoints.back().step;
        options.stop_after = 1;
        options.sink = &discard;
        (void)run(load_scenario_text(prefix->summary().config_yaml, path + ":/config"), options);
    } catch (const RunFileError&) {
    } catch (const ConfigError&) {
    } catch (const RuntimeFailure&) {
    }
}

}  // namespace airace::fuzz
