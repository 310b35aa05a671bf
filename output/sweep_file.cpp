// Merged sweep files (see sweep_file.hpp for the layout) and the small reads
// a merge needs from run files.
//
// Same contracts as output/writer.cpp: every HDF5 call is checked and named
// in the error; the file is built under a temporary name unique to this
// writer, closed, fsync'ed with its folder and renamed (publish.hpp), so a
// crashed merge never leaves a half file under the final name; objects go in one fixed order without
// timestamps, so merging the same results twice gives the same datasets.
// External links are checked first: a link to a missing file reads silently
// as fill values in h5py and HDF5 1.10.
//
// Sealed like run files (integrity.hpp): /file_checksum covers every byte,
// and the reader checks it before libhdf5 reads any string; every dataset
// read is then held to its expected shape and to what the file's size can
// hold, so a damaged or crafted file is refused (RunFileError, exit code 2)
// instead of read as other numbers or grown into gigabytes.

#include "output/sweep_file.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "output/h5.hpp"
#include "output/integrity.hpp"
#include "output/publish.hpp"
#include "output/reader.hpp"
#include "output/storage.hpp"
#include "base/errors.hpp"

namespace fs = std::filesystem;

namespace airace {
namespace {

constexpr std::size_t max_rows = 100'000'000;

// --- writing -------------------------------------------------------------------

void write_numbers(const h5::Object& parent, const std::string& name, hid_t file_type, hid_t memory_type,
                   const std::vector<hsize_t>& dims, const void* data) {
    const std::string where = h5::child_path(parent, name);
    h5::Object dataset = h5::create_dataset(parent, name, file_type, h5::simple_space(dims, {}, where),
                                            h5::dataset_create_plist(where));
    hsize_t count = 1;
    for (hsize_t d : dims) count *= d;
    if (count > 0)
        h5::check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "H5Dwrite",
                  where);
    dataset.handle.close(where);
}

void write_root_attributes(const h5::Object& root, const SweepRecord& r) {
    h5::set_attr_string(root, "format", sweep_file_format);
    h5::set_attr_int32(root, "schema_version", sweep_file_schema_version);
    h5::set_attr_string(root, "name", r.name);
    h5::set_attr_string(root, "description", r.description);
    h5::set_attr_string(root, "design", r.design);
    h5::set_attr_string(root, "base", r.base);
    h5::set_attr_uint64(root, "design_seed", r.design_seed);
    h5::set_attr_uint64(root, "samples", r.samples);
    h5::set_attr_uint64(root, "levels", r.levels);
    h5::set_attr_uint64(root, "replicates", r.replicates);
    h5::set_attr_int32(root, "metric_year", r.metric_year);
    h5::set_attr_uint64(root, "runs", r.run_ids.size());
    for (const char* status : {"complete", "failed", "missing"}) h5::set_attr_uint64(root, status, r.count(status));
    h5::set_attr_string(root, "airace_version", r.airace_version);
    h5::set_attr_string(root, "created_utc", r.created_utc);
    if (r.part_of_runs > 0) h5::set_attr_uint64(root, "part_of_runs", r.part_of_runs);
}

void write_design(const h5::Object& root, const SweepRecord& r) {
    const std::size_t runs = r.run_ids.size();
    const std::size_t k = r.keys.size();
    h5::Object design = h5::create_group(root, "design");
    storage::write_strings(design, "run_id", r.run_ids);
    write_numbers(design, "point", H5T_STD_I64LE, H5T_NATIVE_INT64, {runs}, r.point.data());
    write_numbers(design, "group", H5T_STD_I64LE, H5T_NATIVE_INT64, {runs}, r.group.data());
    write_numbers(design, "step", H5T_STD_I32LE, H5T_NATIVE_INT32, {runs}, r.step.data());
    write_numbers(design, "replicate", H5T_STD_I32LE, H5T_NATIVE_INT32, {runs}, r.replicate.data());
    write_numbers(design, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, {runs}, r.seed.data());
    write_numbers(design, "values", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {runs, k}, r.values.data());
    h5::Object values = h5::open_dataset(design, "values");
    h5::set_attr_strings(values, "keys", r.keys);
    h5::set_attr_strings(values, "scales", r.scales);
    write_numbers(design, "unit", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {runs, k}, r.unit.data());
    storage::write_strings(design, "overrides", r.overrides);
}

void write_runs(const h5::Object& root, const SweepRecord& r) {
    h5::Object group = h5::create_group(root, "runs");
    storage::write_strings(group, "status", r.status);
    storage::write_strings(group, "error", r.errors);
    storage::write_strings(group, "file", r.files);
}

void write_aggregates(const h5::Object& root, const SweepRecord& r) {
    h5::Object group = h5::create_group(root, "aggregates");
    for (const Series& s : r.aggregates) {
        write_numbers(group, s.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {r.run_ids.size(), r.time.size()},
                      s.values.data());
        h5::set_attr_string(h5::open_dataset(group, s.name), "units", s.units);
    }
}

void write_links(const h5::Object& root, const SweepRecord& r) {
    h5::Object links = h5::create_group(root, "links");
    for (std::size_t i = 0; i < r.run_ids.size(); ++i) {
        if (r.files[i].empty()) continue;
        const std::string where = h5::child_path(links, r.run_ids[i]);
        h5::check(H5Lcreate_external(r.files[i].c_str(), "/", links.id(), r.run_ids[i].c_str(),
                                     H5P_DEFAULT, H5P_DEFAULT),
                  "H5Lcreate_external", where);
    }
}

void write_sensitivity(const h5::Object& root, const SweepRecord& r) {
    h5::Object group = h5::create_group(root, "sensitivity");
    for (const SweepIndexTable& table : r.sensitivity) {
        h5::Object metric = h5::create_group(group, table.metric);
        h5::set_attr_string(metric, "method", table.method);
        h5::set_attr_strings(metric, "parameters", r.keys);
        h5::set_attr_int32(metric, "metric_year", r.metric_year);
        h5::set_attr_uint64(metric, "samples_used", table.samples_used);
        h5::set_attr_uint64(metric, "resamples", table.resamples);
        h5::set_attr_double(metric, "confidence", table.confidence);
        for (const auto& [name, values] : table.indices)
            write_numbers(metric, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {values.size()}, values.data());
    }
}

void write_ensemble(const h5::Object& root, const SweepRecord& r) {
    if (r.ensemble.empty()) return;
    h5::Object group = h5::create_group(root, "ensemble");
    const std::size_t steps = r.time.size();
    for (const EnsembleSeries& e : r.ensemble) {
        h5::Object metric = h5::create_group(group, e.name);
        h5::set_attr_string(metric, "units", e.units);
        for (const auto& [name, values] : {std::pair{"mean", &e.mean}, std::pair{"se", &e.se},
                                           std::pair{"q05", &e.q05}, std::pair{"median", &e.median},
                                           std::pair{"q95", &e.q95}})
            write_numbers(metric, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {steps}, values->data());
        write_numbers(metric, "runs", H5T_STD_I32LE, H5T_NATIVE_INT32, {steps}, e.runs.data());
    }
}

// Returns the file offset of /file_checksum's value.
std::uint64_t write_layout(const h5::Object& root, const SweepRecord& r) {
    write_root_attributes(root, r);
    const std::uint64_t checksum_offset = integrity::write_checksum_placeholder(root);
    storage::write_string_scalar(root, "sweep", r.sweep_text);
    storage::write_string_scalar(root, "base", r.base_yaml);
    write_design(root, r);
    write_runs(root, r);
    write_numbers(root, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {r.time.size()}, r.time.data());
    write_aggregates(root, r);
    write_links(root, r);
    write_sensitivity(root, r);
    write_ensemble(root, r);
    return checksum_offset;
}

// --- reading -------------------------------------------------------------------

// The file being read, and how many more bytes its datasets may still
// claim: all of them together at most what a file of its size can hold.
struct Context {
    std::string path;
    std::uintmax_t file_size = 0;
    std::uintmax_t budget = 0;
};

// Takes the bytes of `count` elements of `element_bytes` from the budget.
void spend(Context& c, const std::vector<hsize_t>& dims, std::size_t element_bytes, const std::string& where) {
    const std::size_t count = integrity::element_count(c.file_size, dims, element_bytes, where);
    if (count > c.budget / element_bytes)
        throw integrity::Damaged(fmt::format("{} and the datasets before it claim more than a file of {} bytes "
                                             "can hold", where, c.file_size));
    c.budget -= count * element_bytes;
}

std::vector<hsize_t> dims_of(const h5::Object& dataset) {
    h5::Handle space(h5::check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank < 0 || rank > 2) throw integrity::Damaged(fmt::format("{} has an unexpected rank", dataset.path));
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) h5::check(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), "H5Sget_simple_extent_dims", dataset.path);
    for (hsize_t d : dims)
        if (d > max_rows) throw integrity::Damaged(fmt::format("{} claims {} rows", dataset.path, d));
    return dims;
}

void expect_shape(const h5::Object& dataset, const std::vector<hsize_t>& dims, const std::vector<hsize_t>& expected) {
    if (dims != expected)
        throw integrity::Damaged(fmt::format("{} has shape [{}], expected [{}]", dataset.path, fmt::join(dims, ", "),
                                             fmt::join(expected, ", ")));
}

template <typename T>
std::vector<T> read_numbers(Context& c, const h5::Object& parent, const std::string& name, hid_t memory_type,
                            const std::vector<hsize_t>& expected) {
    const h5::Object dataset = h5::open_dataset(parent, name);
    const std::vector<hsize_t> dims = dims_of(dataset);
    expect_shape(dataset, dims, expected);
    spend(c, dims, sizeof(T), dataset.path);
    std::size_t count = 1;
    for (hsize_t d : dims) count *= d;
    std::vector<T> values(count);
    if (count > 0)
        h5::check(H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "H5Dread",
                  dataset.path);
    return values;
}

std::vector<std::string> read_string_column(Context& c, const h5::Object& parent, const std::string& name,
                                            std::size_t rows) {
    const h5::Object dataset = h5::open_dataset(parent, name);
    const std::vector<hsize_t> dims = dims_of(dataset);
    expect_shape(dataset, dims, {rows});
    spend(c, dims, sizeof(char*), dataset.path);
    return h5::read_strings(dataset, rows);
}

std::string read_string_scalar(const h5::Object& parent, const std::string& name) {
    const h5::Object dataset = h5::open_dataset(parent, name);
    expect_shape(dataset, dims_of(dataset), {});
    return h5::read_strings(dataset, 1).front();
}

void read_root_attributes(const h5::Object& root, SweepRecord& r) {
    r.name = h5::attr_string(root, "name");
    r.description = h5::attr_string(root, "description");
    r.design = h5::attr_string(root, "design");
    r.base = h5::attr_string(root, "base");
    r.design_seed = h5::attr_uint64(root, "design_seed");
    r.samples = h5::attr_uint64(root, "samples");
    r.levels = h5::attr_uint64(root, "levels");
    r.replicates = h5::attr_uint64(root, "replicates");
    r.metric_year = static_cast<std::int32_t>(h5::attr_int(root, "metric_year"));
    r.airace_version = h5::attr_string(root, "airace_version");
    r.created_utc = h5::attr_string(root, "created_utc");
    if (h5::has_attr(root, "part_of_runs")) r.part_of_runs = h5::attr_uint64(root, "part_of_runs");
}

// /design: the parameters' keys and scales, then the table; returns its rows.
std::size_t read_design(Context& c, const h5::Object& root, SweepRecord& r) {
    const h5::Object design = h5::open_group(root, "design");
    const std::vector<hsize_t> id_dims = dims_of(h5::open_dataset(design, "run_id"));
    if (id_dims.size() != 1) throw integrity::Damaged("/design/run_id is not 1-D");
    const std::size_t runs = static_cast<std::size_t>(id_dims[0]);
    const h5::Object values = h5::open_dataset(design, "values");
    r.keys = h5::attr_strings(values, "keys", 100'000);
    r.scales = h5::attr_strings(values, "scales", 100'000);
    if (r.scales.size() != r.keys.size())
        throw integrity::Damaged("/design/values has different numbers of keys and scales");
    const std::size_t k = r.keys.size();
    r.run_ids = read_string_column(c, design, "run_id", runs);
    r.point = read_numbers<std::int64_t>(c, design, "point", H5T_NATIVE_INT64, {runs});
    r.group = read_numbers<std::int64_t>(c, design, "group", H5T_NATIVE_INT64, {runs});
    r.step = read_numbers<std::int32_t>(c, design, "step", H5T_NATIVE_INT32, {runs});
    r.replicate = read_numbers<std::int32_t>(c, design, "replicate", H5T_NATIVE_INT32, {runs});
    r.seed = read_numbers<std::uint64_t>(c, design, "seed", H5T_NATIVE_UINT64, {runs});
    r.values = read_numbers<double>(c, design, "values", H5T_NATIVE_DOUBLE, {runs, k});
    r.unit = read_numbers<double>(c, design, "unit", H5T_NATIVE_DOUBLE, {runs, k});
    r.overrides = read_string_column(c, design, "overrides", runs);
    return runs;
}

void read_aggregates(Context& c, const h5::Object& root, SweepRecord& r, std::size_t runs) {
    const h5::Object aggregates = h5::open_group(root, "aggregates");
    for (const std::string& name : h5::link_names(aggregates, 100'000)) {
        std::vector<double> data =
            read_numbers<double>(c, aggregates, name, H5T_NATIVE_DOUBLE, {runs, r.time.size()});
        r.aggregates.push_back(
            {name, h5::attr_string(h5::open_dataset(aggregates, name), "units"), std::move(data)});
    }
}

void read_sensitivity(Context& c, const h5::Object& root, SweepRecord& r) {
    const h5::Object sensitivity = h5::open_group(root, "sensitivity");
    const std::size_t k = r.keys.size();
    for (const std::string& metric : h5::link_names(sensitivity, 100'000)) {
        const h5::Object table_group = h5::open_group(sensitivity, metric);
        SweepIndexTable table;
        table.metric = metric;
        table.method = h5::attr_string(table_group, "method");
        table.samples_used = h5::attr_uint64(table_group, "samples_used");
        table.resamples = h5::attr_uint64(table_group, "resamples");
        for (const std::string& name : h5::link_names(table_group, 100))
            table.indices.emplace_back(name, read_numbers<double>(c, table_group, name, H5T_NATIVE_DOUBLE, {k}));
        r.sensitivity.push_back(std::move(table));
    }
}

void read_ensemble(Context& c, const h5::Object& root, SweepRecord& r) {
    if (!h5::has_link(root, "ensemble")) return;
    const h5::Object group = h5::open_group(root, "ensemble");
    const std::vector<hsize_t> steps{r.time.size()};
    for (const std::string& name : h5::link_names(group, 100'000)) {
        const h5::Object metric = h5::open_group(group, name);
        EnsembleSeries e;
        e.name = name;
        e.units = h5::attr_string(metric, "units");
        e.mean = read_numbers<double>(c, metric, "mean", H5T_NATIVE_DOUBLE, steps);
        e.se = read_numbers<double>(c, metric, "se", H5T_NATIVE_DOUBLE, steps);
        e.q05 = read_numbers<double>(c, metric, "q05", H5T_NATIVE_DOUBLE, steps);
        e.median = read_numbers<double>(c, metric, "median", H5T_NATIVE_DOUBLE, steps);
        e.q95 = read_numbers<double>(c, metric, "q95", H5T_NATIVE_DOUBLE, steps);
        e.runs = read_numbers<std::int32_t>(c, metric, "runs", H5T_NATIVE_INT32, steps);
        r.ensemble.push_back(std::move(e));
    }
}

// What the rest of the file must agree with: a point and a status per run.
void check_consistency(const SweepRecord& r) {
    for (std::size_t i = 0; i < r.run_ids.size(); ++i) {
        if (r.status[i] != "complete" && r.status[i] != "failed" && r.status[i] != "missing")
            throw integrity::Damaged(fmt::format("/runs/status of run {} is '{}'", i, r.status[i]));
        const std::uint64_t runs = r.part_of_runs > 0 ? r.part_of_runs : r.run_ids.size();
        if (r.point[i] < 0 || static_cast<std::uint64_t>(r.point[i]) >= runs)
            throw integrity::Damaged(fmt::format("/design/point of run {} is {}, outside [0, {})", i, r.point[i],
                                                 runs));
    }
}

SweepRecord read_body(Context& c, const h5::Object& root) {
    SweepRecord r;
    read_root_attributes(root, r);
    r.sweep_text = read_string_scalar(root, "sweep");
    r.base_yaml = read_string_scalar(root, "base");
    const std::size_t runs = read_design(c, root, r);
    const h5::Object group = h5::open_group(root, "runs");
    r.status = read_string_column(c, group, "status", runs);
    r.errors = read_string_column(c, group, "error", runs);
    r.files = read_string_column(c, group, "file", runs);
    const std::vector<hsize_t> time_dims = dims_of(h5::open_dataset(root, "time"));
    if (time_dims.size() != 1) throw integrity::Damaged("/time is not 1-D");
    r.time = read_numbers<double>(c, root, "time", H5T_NATIVE_DOUBLE, time_dims);
    read_aggregates(c, root, r, runs);
    read_sensitivity(c, root, r);
    read_ensemble(c, root, r);
    check_consistency(r);
    return r;
}

}  // namespace

std::size_t SweepRecord::count(const std::string& which) const {
    std::size_t n = 0;
    for (const std::string& s : status) n += s == which ? 1 : 0;
    return n;
}

void write_sweep_file(const SweepRecord& record, const std::string& path, bool force) {
    const std::string directory = publish::target_folder(path, force, "sweep file");
    std::error_code error;
    for (const std::string& file : record.files)
        if (!file.empty() && !fs::is_regular_file(fs::path(directory) / file, error))
            throw RuntimeFailure(fmt::format("cannot write sweep file {}: run file {} does not exist, so it "
                                             "cannot be linked", path, (fs::path(directory) / file).string()));
    const std::string tmp = publish::create_tmp(path);
    try {
        std::uint64_t checksum_offset = 0;
        {
            h5::Object file = h5::create_file(tmp);
            {
                h5::Object root = h5::root_group(file);
                checksum_offset = write_layout(root, record);
                root.handle.close("/");
            }
            file.handle.close(tmp);
        }
        integrity::seal(tmp, checksum_offset);  // fsyncs the file
        publish::rename_into_place(tmp, path, true);
        publish::sync_path(directory, true);
    } catch (const h5::Error& failure) {
        fs::remove(tmp, error);
        throw RuntimeFailure(fmt::format("cannot write sweep file {}: {}", path, failure.what()));
    } catch (const RuntimeFailure&) {
        fs::remove(tmp, error);
        throw;
    } catch (const ConfigError&) {
        fs::remove(tmp, error);
        throw;
    } catch (const std::runtime_error& failure) {  // plain I/O while sealing
        fs::remove(tmp, error);
        throw RuntimeFailure(fmt::format("cannot write sweep file {}: {}", path, failure.what()));
    } catch (...) {
        fs::remove(tmp, error);
        throw;
    }
}

std::string file_format(const std::string& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error) || !integrity::has_hdf5_signature(path)) return {};
    const std::uintmax_t size = fs::file_size(path, error);
    if (error) return {};
    try {
        const h5::Object file = h5::open_file_read_only(path);
        const h5::Object root = h5::root_group(file);
        // The attribute's text lives in HDF5's unchecked global heap, where a
        // damaged byte can hang libhdf5: the checksum first, where there is
        // one (a damaged file has no format here; its reader names the damage).
        if (h5::has_link(root, "file_checksum")) integrity::verify_checksum(root, path, size);
        return h5::has_attr(root, "format") ? h5::attr_string(root, "format") : std::string();
    } catch (const h5::Error&) {
        return {};
    } catch (const std::runtime_error&) {  // integrity::Damaged, plain I/O
        return {};
    }
}

SweepRecord read_sweep_file(const std::string& path) {
    std::error_code size_error;
    const std::uintmax_t size = fs::file_size(path, size_error);
    if (size_error || !fs::is_regular_file(path, size_error) || !integrity::has_hdf5_signature(path))
        throw RunFileError(fmt::format("{} is not an airace sweep file: {}", path,
                                       size_error ? "it cannot be read" : "not a regular HDF5 file"));
    Context context{path, size, size * integrity::max_compression_ratio + (1u << 20)};
    try {
        const h5::Object file = h5::open_file_read_only(path);
        const h5::Object root = h5::root_group(file);
        // The checksum before any string is read (the format attribute's included).
        if (!integrity::verify_checksum(root, path, size))
            throw RunFileError(fmt::format("{} has no /file_checksum: it is not an airace sweep file, is damaged, "
                                           "or was merged by an older airace (merge it again with `airace sweep "
                                           "merge`)", path));
        const std::string format = h5::has_attr(root, "format") ? h5::attr_string(root, "format") : "";
        if (format != sweep_file_format)
            throw RunFileError(fmt::format("{} is not an airace sweep file (format '{}', expected '{}')", path,
                                           format, sweep_file_format));
        const std::int64_t version = h5::attr_int(root, "schema_version");
        if (version != sweep_file_schema_version)
            throw RunFileError(fmt::format("{} uses sweep file schema version {}; this airace reads version {}",
                                           path, version, sweep_file_schema_version));
        return read_body(context, root);
    } catch (const RunFileError&) {
        throw;
    } catch (const integrity::Damaged& damaged) {
        throw RunFileError(fmt::format("{} is damaged or inconsistent: {}", path, damaged.what()));
    } catch (const h5::Error& error) {
        throw RunFileError(fmt::format("{} is damaged or unreadable: {}", path, error.what()));
    } catch (const std::runtime_error& error) {  // plain I/O while checksumming
        throw RunFileError(fmt::format("cannot read sweep file {}: {}", path, error.what()));
    } catch (const std::length_error& error) {
        throw RunFileError(fmt::format("{} is damaged or inconsistent: {}", path, error.what()));
    }
}

RunSeries read_run_series(const std::string& path, const std::vector<std::string>& metrics) {
    RunSeries series;
    series.meta = read_run_metadata(path);  // checksum, format and schema first
    try {
        const std::uintmax_t size = fs::file_size(path);
        Context c{path, size, size * integrity::max_compression_ratio + (1u << 20)};
        const h5::Object file = h5::open_file_read_only(path);
        const h5::Object root = h5::root_group(file);
        const std::vector<hsize_t> steps{static_cast<hsize_t>(series.meta.steps)};
        series.time = read_numbers<double>(c, root, "time", H5T_NATIVE_DOUBLE, steps);
        const h5::Object aggregates = h5::open_group(root, "aggregates");
        for (const std::string& name : metrics) {
            if (name.empty() || name.find('/') != std::string::npos || !h5::has_link(aggregates, name))
                throw RunFileError(fmt::format("{} has no aggregate '{}'", path, name));
            std::vector<double> values = read_numbers<double>(c, aggregates, name, H5T_NATIVE_DOUBLE, steps);
            series.metrics.push_back({name, h5::attr_string(h5::open_dataset(aggregates, name), "units"),
                                      std::move(values)});
        }
    } catch (const integrity::Damaged& damaged) {
        throw RunFileError(fmt::format("{} is damaged or inconsistent: {}", path, damaged.what()));
    } catch (const h5::Error& error) {
        throw RunFileError(fmt::format("{} is damaged or unreadable: {}", path, error.what()));
    } catch (const fs::filesystem_error& error) {
        throw RunFileError(fmt::format("cannot read run file {}: {}", path, error.what()));
    }
    return series;
}

}  // namespace airace

namespace airace {

std::vector<std::string> run_aggregate_names(const std::string& path) {
    read_run_metadata(path);  // checksum, format and schema first
    try {
        const h5::Object file = h5::open_file_read_only(path);
        return h5::link_names(h5::open_group(h5::root_group(file), "aggregates"), 100'000);
    } catch (const h5::Error& error) {
        throw RunFileError(fmt::format("{} is damaged or unreadable: {}", path, error.what()));
    }
}

}  // namespace airace
