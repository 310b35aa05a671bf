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

#include "output/sweep_file.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

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

void write_layout(const h5::Object& root, const SweepRecord& r) {
    write_root_attributes(root, r);
    storage::write_string_scalar(root, "sweep", r.sweep_text);
    storage::write_string_scalar(root, "base", r.base_yaml);
    write_design(root, r);
    write_runs(root, r);
    write_numbers(root, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {r.time.size()}, r.time.data());
    write_aggregates(root, r);
    write_links(root, r);
    write_sensitivity(root, r);
    write_ensemble(root, r);
}

// --- reading -------------------------------------------------------------------

std::vector<hsize_t> dims_of(const h5::Object& dataset) {
    h5::Handle space(h5::check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank < 0 || rank > 2) throw RunFileError(fmt::format("{} has an unexpected rank", dataset.path));
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) h5::check(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), "H5Sget_simple_extent_dims", dataset.path);
    for (hsize_t d : dims)
        if (d > max_rows) throw RunFileError(fmt::format("{} claims {} rows", dataset.path, d));
    return dims;
}

template <typename T>
std::vector<T> read_numbers(const h5::Object& parent, const std::string& name, hid_t memory_type,
                            const std::vector<hsize_t>& expected, const std::string& file) {
    const h5::Object dataset = h5::open_dataset(parent, name);
    const std::vector<hsize_t> dims = dims_of(dataset);
    if (dims != expected)
        throw RunFileError(fmt::format("{}: {} has the wrong shape", file, dataset.path));
    std::size_t count = 1;
    for (hsize_t d : dims) count *= d;
    std::vector<T> values(count);
    if (count > 0)
        h5::check(H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "H5Dread",
                  dataset.path);
    return values;
}

std::vector<std::string> read_string_column(const h5::Object& parent, const std::string& name, std::size_t rows,
                                            const std::string& file) {
    const h5::Object dataset = h5::open_dataset(parent, name);
    if (dims_of(dataset) != std::vector<hsize_t>{rows})
        throw RunFileError(fmt::format("{}: {} has the wrong shape", file, dataset.path));
    return h5::read_strings(dataset, rows);
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
}

// /design: the parameters' keys and scales, then the table; returns its rows.
std::size_t read_design(const h5::Object& root, SweepRecord& r, const std::string& path) {
    const h5::Object design = h5::open_group(root, "design");
    const std::size_t runs = static_cast<std::size_t>(dims_of(h5::open_dataset(design, "run_id")).at(0));
    const h5::Object values = h5::open_dataset(design, "values");
    r.keys = h5::attr_strings(values, "keys", 100'000);
    r.scales = h5::attr_strings(values, "scales", 100'000);
    const std::size_t k = r.keys.size();
    r.run_ids = read_string_column(design, "run_id", runs, path);
    r.point = read_numbers<std::int64_t>(design, "point", H5T_NATIVE_INT64, {runs}, path);
    r.group = read_numbers<std::int64_t>(design, "group", H5T_NATIVE_INT64, {runs}, path);
    r.step = read_numbers<std::int32_t>(design, "step", H5T_NATIVE_INT32, {runs}, path);
    r.replicate = read_numbers<std::int32_t>(design, "replicate", H5T_NATIVE_INT32, {runs}, path);
    r.seed = read_numbers<std::uint64_t>(design, "seed", H5T_NATIVE_UINT64, {runs}, path);
    r.values = read_numbers<double>(design, "values", H5T_NATIVE_DOUBLE, {runs, k}, path);
    r.unit = read_numbers<double>(design, "unit", H5T_NATIVE_DOUBLE, {runs, k}, path);
    r.overrides = read_string_column(design, "overrides", runs, path);
    return runs;
}

void read_aggregates(const h5::Object& root, SweepRecord& r, std::size_t runs, const std::string& path) {
    const h5::Object aggregates = h5::open_group(root, "aggregates");
    for (const std::string& name : h5::link_names(aggregates, 100'000)) {
        std::vector<double> data =
            read_numbers<double>(aggregates, name, H5T_NATIVE_DOUBLE, {runs, r.time.size()}, path);
        r.aggregates.push_back(
            {name, h5::attr_string(h5::open_dataset(aggregates, name), "units"), std::move(data)});
    }
}

void read_sensitivity(const h5::Object& root, SweepRecord& r, const std::string& path) {
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
            table.indices.emplace_back(name, read_numbers<double>(table_group, name, H5T_NATIVE_DOUBLE, {k}, path));
        r.sensitivity.push_back(std::move(table));
    }
}

void read_ensemble(const h5::Object& root, SweepRecord& r, const std::string& path) {
    if (!h5::has_link(root, "ensemble")) return;
    const h5::Object group = h5::open_group(root, "ensemble");
    const std::vector<hsize_t> steps{r.time.size()};
    for (const std::string& name : h5::link_names(group, 100'000)) {
        const h5::Object metric = h5::open_group(group, name);
        EnsembleSeries e;
        e.name = name;
        e.units = h5::attr_string(metric, "units");
        e.mean = read_numbers<double>(metric, "mean", H5T_NATIVE_DOUBLE, steps, path);
        e.se = read_numbers<double>(metric, "se", H5T_NATIVE_DOUBLE, steps, path);
        e.q05 = read_numbers<double>(metric, "q05", H5T_NATIVE_DOUBLE, steps, path);
        e.median = read_numbers<double>(metric, "median", H5T_NATIVE_DOUBLE, steps, path);
        e.q95 = read_numbers<double>(metric, "q95", H5T_NATIVE_DOUBLE, steps, path);
        e.runs = read_numbers<std::int32_t>(metric, "runs", H5T_NATIVE_INT32, steps, path);
        r.ensemble.push_back(std::move(e));
    }
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
        {
            h5::Object file = h5::create_file(tmp);
            {
                h5::Object root = h5::root_group(file);
                write_layout(root, record);
                root.handle.close("/");
            }
            file.handle.close(tmp);
        }
        publish::sync_path(tmp, false);
        publish::rename_into_place(tmp, path, true);
        publish::sync_path(directory, true);
    } catch (const h5::Error& failure) {
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
    try {
        const h5::Object file = h5::open_file_read_only(path);
        const h5::Object root = h5::root_group(file);
        return h5::has_attr(root, "format") ? h5::attr_string(root, "format") : std::string();
    } catch (const h5::Error&) {
        return {};
    }
}

SweepRecord read_sweep_file(const std::string& path) {
    const std::string format = file_format(path);
    if (format != sweep_file_format)
        throw RunFileError(fmt::format("{} is not an airace sweep file (format '{}', expected '{}')", path, format,
                                       sweep_file_format));
    try {
        const h5::Object file = h5::open_file_read_only(path);
        const h5::Object root = h5::root_group(file);
        const std::int64_t version = h5::attr_int(root, "schema_version");
        if (version != sweep_file_schema_version)
            throw RunFileError(fmt::format("{} uses sweep file schema version {}; this airace reads version {}",
                                           path, version, sweep_file_schema_version));
        SweepRecord r;
        read_root_attributes(root, r);
        r.sweep_text = h5::read_strings(h5::open_dataset(root, "sweep"), 1).front();
        r.base_yaml = h5::read_strings(h5::open_dataset(root, "base"), 1).front();
        const std::size_t runs = read_design(root, r, path);
        const h5::Object group = h5::open_group(root, "runs");
        r.status = read_string_column(group, "status", runs, path);
        r.errors = read_string_column(group, "error", runs, path);
        r.files = read_string_column(group, "file", runs, path);
        const h5::Object time = h5::open_dataset(root, "time");
        const std::vector<hsize_t> time_dims = dims_of(time);
        if (time_dims.size() != 1) throw RunFileError(fmt::format("{}: /time is not 1-D", path));
        r.time = read_numbers<double>(root, "time", H5T_NATIVE_DOUBLE, time_dims, path);
        read_aggregates(root, r, runs, path);
        read_sensitivity(root, r, path);
        read_ensemble(root, r, path);
        return r;
    } catch (const h5::Error& error) {
        throw RunFileError(fmt::format("{} is damaged or unreadable: {}", path, error.what()));
    }
}

RunSeries read_run_series(const std::string& path, const std::vector<std::string>& metrics) {
    RunSeries series;
    series.meta = read_run_metadata(path);  // checksum, format and schema first
    try {
        const h5::Object file = h5::open_file_read_only(path);
        const h5::Object root = h5::root_group(file);
        const std::vector<hsize_t> steps{static_cast<hsize_t>(series.meta.steps)};
        series.time = read_numbers<double>(root, "time", H5T_NATIVE_DOUBLE, steps, path);
        const h5::Object aggregates = h5::open_group(root, "aggregates");
        for (const std::string& name : metrics) {
            if (name.empty() || name.find('/') != std::string::npos || !h5::has_link(aggregates, name))
                throw RunFileError(fmt::format("{} has no aggregate '{}'", path, name));
            std::vector<double> values = read_numbers<double>(aggregates, name, H5T_NATIVE_DOUBLE, steps, path);
            series.metrics.push_back({name, h5::attr_string(h5::open_dataset(aggregates, name), "units"),
                                      std::move(values)});
        }
    } catch (const h5::Error& error) {
        throw RunFileError(fmt::format("{} is damaged or unreadable: {}", path, error.what()));
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
