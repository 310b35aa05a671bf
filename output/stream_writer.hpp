#pragma once
// RunFileStream: writes a run file while the run goes (a RecordSink). The
// layout is created when the run begins, in the order write_run_file
// creates it; each per-agent and market column is appended a chunk band at
// a time (the band of whole rows its chunk holds, see chunked.hpp), /events
// and /network/edges a chunk of rows at a time, and each checkpoint as it
// is taken, so the run holds a band of each column and a chunk of each
// table, never the whole record. The datasets hold the same values, with
// the same chunk shapes for the columns, as write_run_file's (the tables'
// chunks are full-sized, their length not being known in advance).
//
// The same crash safety as write_run_file: everything is written under
// PATH.tmp.<pid>.<random>, which publish() closes, seals, fsyncs and
// renames; a failed or abandoned stream removes it. The same inputs give
// the same bytes for any thread count: chunks are compressed on every core
// and written in one fixed order.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/profile.hpp"
#include "record/record.hpp"
#include "record/record_sink.hpp"

namespace airace {

class RunFileStream final : public RecordSink {
public:
    // Checks the target as write_run_file does (ConfigError when PATH exists
    // and !force) and creates the temporary file.
    RunFileStream(const std::string& path, bool force, Profiler* profiler = nullptr);
    ~RunFileStream() override;  // removes the temporary file unless published
    RunFileStream(const RunFileStream&) = delete;
    RunFileStream& operator=(const RunFileStream&) = delete;

    void begin(const RunRecord& layout, std::size_t steps) override;
    void row(std::size_t row, const RunRecord& current) override;
    void events(const std::vector<EventRow>& rows) override;
    void edges(std::span<const EdgeRow> rows) override;
    void checkpoint(const Checkpoint& checkpoint) override;

    // Completes the file with what `record` (run()'s result) holds: metadata,
    // /config, /time, /aggregates, /hashes, /fork; then closes, seals and
    // renames it to PATH. RuntimeFailure (naming the file) on failure.
    void publish(const RunRecord& record);

    // The run so far as a partial run file at `partial` (tmp, seal, rename):
    // a copy of the file as it stands at the last checkpoint (flushed
    // there), completed with the rows not yet written and `so_far`'s
    // metadata and small datasets. Called at a checkpoint only.
    void write_partial(const RunRecord& so_far, const std::string& partial);

    // Compressed bytes written so far (chunks of the streamed datasets).
    std::uint64_t stored_bytes() const;

private:
    struct File;
    // Runs `work`; on failure removes the temporary file and throws
    // RuntimeFailure naming the run file (std::bad_alloc as it is).
    template <class Work>
    void guarded(Work&& work);
    void fail(const std::exception& error);
    std::unique_ptr<File> file_;
    std::string path_;
    std::string directory_;
    std::string tmp_;
    bool force_ = false;
    Profiler* profiler_ = nullptr;
    bool published_ = false;
};

}  // namespace airace
