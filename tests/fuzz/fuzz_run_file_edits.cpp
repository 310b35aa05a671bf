// Fuzz target: bytes -> edits of a valid run file through the HDF5 API ->
// the file sealed again -> read_run_file -> a run resumed from its last
// checkpoint for one step (as `airace run --resume`, `fork` and `sweep
// --resume` restore worlds from files written elsewhere).
//
// The byte-level targets stop at the checksum (run_file) or, sealing each
// mutated file again, mostly exercise libhdf5's own parser (run_file_sealed,
// on request: libhdf5 1.10 crashes on damaged global heaps, which airace
// cannot fix). This one is structure-aware: every file it reads is a
// well-formed HDF5 file with a valid checksum whose content is wrong, as a
// file written by another program or edited by hand would be: a value out of
// range, NaN or infinite, a dataset of another shape or type, an attribute
// missing, a string changed, an unknown object added. So fuzzing reaches
// past the checksum into airace's own checks (schema, shapes, values, the
// restore of a checkpoint), which must answer with RunFileError,
// ConfigError or RuntimeFailure (exit 2 or 1), never a crash, an
// out-of-bounds access, a hang or an unbounded allocation.
//
// The run file edited is written once per process by the library itself (a
// three-lab world over two years with checkpoints), so the target needs no
// file from outside and replays the same way in every build.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "config/config_yaml.hpp"
#include "fuzz_input.hpp"
#include "fuzz_resume.hpp"
#include "output/writer.hpp"
#include "record/run.hpp"

namespace {

using airace::h5::Handle;

constexpr const char* tiny_scenario = R"(scenario:
  name: fuzz_edits
time:
  start_year: 2024
  end_year: 2026
labs:
  count: 3
  frontier_count: 1
investors:
  count: 4
  corporate_count: 1
compute:
  providers: 2
data:
  providers: 2
)";

// One object of the base file an edit can aim at: a dataset, or an
// attribute (of the root, a group or a dataset) when `attribute` is set.
struct Target {
    std::string path;
    std::string attribute;
};

// Reads the fuzz input a few bytes at a time; zeros once it runs out.
class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool empty() const { return at_ >= size_; }
    std::uint64_t take(int count) {
        std::uint64_t value = 0;
        for (int k = 0; k < count; ++k) value = value << 8 | (at_ < size_ ? data_[at_++] : 0u);
        return value;
    }
    std::string text(std::size_t most) {
        const std::size_t length = std::min<std::size_t>(take(1) % (most + 1), size_ - std::min(at_, size_));
        std::string out(reinterpret_cast<const char*>(data_ + at_), length);
        at_ += length;
        return out;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

// A value that tends to break checks: the edges of numbers and of counts.
double awkward_number(Bytes& in) {
    static const double values[] = {std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity(),
                                    0.0, -1.0, 1.0, 0.5, 1e300, -1e300, 1e-300, 2147483648.0,
                                    -2147483649.0, 9.3e18, -9.3e18, 4294967296.0, 65536.0};
    const std::uint64_t pick = in.take(1);
    if (pick < 16 * 8) return values[pick % 16];
    const std::uint64_t bits = in.take(8);
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

herr_t collect_attribute(hid_t, const char* name, const H5A_info_t*, void* data) {
    auto* out = static_cast<std::pair<std::string, std::vector<Target>*>*>(data);
    out->second->push_back({out->first, name});
    return 0;
}

herr_t collect_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
    auto* targets = static_cast<std::vector<Target>*>(data);
    const std::string path = std::string(name) == "." ? "/" : "/" + std::string(name);
    if (info->type == H5O_TYPE_DATASET) targets->push_back({path, ""});
    const hid_t object = H5Oopen(root, name, H5P_DEFAULT);
    if (object < 0) return 0;
    std::pair<std::string, std::vector<Target>*> where{path, targets};
    hsize_t index = 0;
    H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute, &where);
    H5Oclose(object);
    return 0;
}

// The base run file (written once) and every dataset and attribute in it.
struct Base {
    std::string path;
    std::vector<Target> targets;
};

const Base& base() {
    static const Base made = [] {
        Base b;
        b.path = airace::fuzz::temp_path("airace-fuzz-edits-base-");
        airace::RunOptions options;
        options.threads = 1;
        options.checkpoint_every = 4;
        const airace::RunRecord record = airace::run(airace::load_scenario_text(tiny_scenario, "fuzz"), options);
        airace::write_run_file(record, b.path, true);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        const hid_t file = H5Fopen(b.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, collect_object, &b.targets, H5O_INFO_BASIC);
        H5Fclose(file);
        return b;
    }();
    return made;
}

// The number of elements of a dataspace (0 when it has none or fails).
hsize_t points(hid_t space) {
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    return n > 0 ? static_cast<hsize_t>(n) : 0;
}

// Sets one element of a numeric dataset or attribute to an awkward value,
// or every element of a string one to text from the input.
void overwrite(hid_t file, const Target& target, Bytes& in) {
    const bool is_attr = !target.attribute.empty();
    Handle object(is_attr ? H5Aopen_by_name(file, target.path.c_str(), target.attribute.c_str(), H5P_DEFAULT, H5P_DEFAULT)
                          : H5Dopen2(file, target.path.c_str(), H5P_DEFAULT),
                  is_attr ? H5Aclose : H5Dclose);
    if (object.id() < 0) return;
    Handle type(is_attr ? H5Aget_type(object.id()) : H5Dget_type(object.id()), H5Tclose);
    Handle space(is_attr ? H5Aget_space(object.id()) : H5Dget_space(object.id()), H5Sclose);
    const hsize_t n = points(space.id());
    if (n == 0 || n > (hsize_t{1} << 22)) return;
    const H5T_class_t kind = H5Tget_class(type.id());
    if (kind == H5T_INTEGER || kind == H5T_FLOAT) {
        std::vector<double> values(n);
        const herr_t read = is_attr ? H5Aread(object.id(), H5T_NATIVE_DOUBLE, values.data())
                                    : H5Dread(object.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
        if (read < 0) return;
        const int edits = 1 + static_cast<int>(in.take(1) % 4);
        for (int k = 0; k < edits; ++k) values[in.take(4) % n] = awkward_number(in);
        if (is_attr)
            H5Awrite(object.id(), H5T_NATIVE_DOUBLE, values.data());
        else
            H5Dwrite(object.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    } else if (kind == H5T_STRING && H5Tis_variable_str(type.id()) > 0) {
        std::vector<std::string> texts(n);
        for (auto& t : texts) t = in.text(48);
        std::vector<const char*> pointers;
        for (const auto& t : texts) pointers.push_back(t.c_str());
        Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memory.id(), H5T_VARIABLE);
        H5Tset_cset(memory.id(), H5T_CSET_UTF8);
        if (is_attr)
            H5Awrite(object.id(), memory.id(), pointers.data());
        else
            H5Dwrite(object.id(), memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data());
    }
}

// Replaces the target with an object of the same name but another shape or
// type: a dimension one longer or shorter or gone or added, numbers where
// text was, text where numbers were, integers where reals were.
void reshape(hid_t file, const Target& target, Bytes& in) {
    const bool is_attr = !target.attribute.empty();
    std::vector<hsize_t> dims(H5S_MAX_RANK, 0);
    int rank = 0;
    {
        Handle object(is_attr ? H5Aopen_by_name(file, target.path.c_str(), target.attribute.c_str(), H5P_DEFAULT, H5P_DEFAULT)
                              : H5Dopen2(file, target.path.c_str(), H5P_DEFAULT),
                      is_attr ? H5Aclose : H5Dclose);
        if (object.id() < 0) return;
        Handle space(is_attr ? H5Aget_space(object.id()) : H5Dget_space(object.id()), H5Sclose);
        rank = H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
        if (rank < 0) return;
    }
    dims.resize(static_cast<std::size_t>(rank));
    switch (in.take(1) % 5) {
        case 0: if (rank > 0) dims[in.take(1) % rank] += 1; break;
        case 1: if (rank > 0 && dims[in.take(1) % rank] > 0) dims[in.take(1) % rank] -= 1; break;
        case 2: if (rank > 0) dims.pop_back(); break;
        case 3: if (rank < 3) dims.push_back(1 + in.take(1) % 3); break;
        default: break;  // the same shape, another type
    }
    hsize_t n = 1;
    for (hsize_t d : dims) n *= d;
    if (n > (hsize_t{1} << 20)) return;
    const int type_pick = static_cast<int>(in.take(1) % 5);
    Handle string_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(string_type.id(), H5T_VARIABLE);
    hid_t type = string_type.id();
    switch (type_pick) {
        case 0: type = H5T_NATIVE_DOUBLE; break;
        case 1: type = H5T_NATIVE_INT64; break;
        case 2: type = H5T_NATIVE_INT8; break;
        case 3: type = H5T_NATIVE_UINT32; break;
        default: break;
    }
    Handle space(dims.empty() ? H5Screate(H5S_SCALAR)
                              : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                 H5Sclose);
    if (space.id() < 0) return;
    const double fill = awkward_number(in);
    std::vector<double> numbers(static_cast<std::size_t>(n), fill);
    const std::string word = in.text(16);
    std::vector<const char*> words(static_cast<std::size_t>(n), word.c_str());
    const void* data = type_pick < 4 ? static_cast<const void*>(numbers.data()) : static_cast<const void*>(words.data());
    const hid_t memory = type_pick < 4 ? H5T_NATIVE_DOUBLE : string_type.id();
    if (is_attr) {
        if (H5Adelete_by_name(file, target.path.c_str(), target.attribute.c_str(), H5P_DEFAULT) < 0) return;
        Handle parent(H5Oopen(file, target.path.c_str(), H5P_DEFAULT), H5Oclose);
        if (parent.id() < 0) return;
        Handle attr(H5Acreate2(parent.id(), target.attribute.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
        if (attr.id() >= 0 && n > 0) H5Awrite(attr.id(), memory, data);
    } else {
        if (H5Ldelete(file, target.path.c_str(), H5P_DEFAULT) < 0) return;
        Handle dataset(H5Dcreate2(file, target.path.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
        if (dataset.id() >= 0 && n > 0) H5Dwrite(dataset.id(), memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    }
}

void remove(hid_t file, const Target& target) {
    if (target.attribute.empty())
        H5Ldelete(file, target.path.c_str(), H5P_DEFAULT);
    else
        H5Adelete_by_name(file, target.path.c_str(), target.attribute.c_str(), H5P_DEFAULT);
}

// An object the schema does not name, beside the target.
void add_stranger(hid_t file, const Target& target, Bytes& in) {
    const std::string name = "fuzz_" + std::to_string(in.take(1));
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    const double value = awkward_number(in);
    const std::string parent = target.path == "/" ? "/" : target.path.substr(0, target.path.rfind('/') + 1);
    if (in.take(1) % 2 == 0) {
        Handle object(H5Oopen(file, target.path.c_str(), H5P_DEFAULT), H5Oclose);
        if (object.id() < 0) return;
        Handle attr(H5Acreate2(object.id(), name.c_str(), H5T_NATIVE_DOUBLE, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
        if (attr.id() >= 0) H5Awrite(attr.id(), H5T_NATIVE_DOUBLE, &value);
    } else {
        Handle dataset(H5Dcreate2(file, (parent + name).c_str(), H5T_NATIVE_DOUBLE, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
        if (dataset.id() >= 0) H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value);
    }
}

// Applies up to eight edits chosen by the input; an edit HDF5 refuses is skipped.
void edit(const std::string& path, Bytes& in) {
    const std::vector<Target>& targets = base().targets;
    if (targets.empty()) return;
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    if (file.id() < 0) return;
    const int edits = 1 + static_cast<int>(in.take(1) % 8);
    for (int k = 0; k < edits && !in.empty(); ++k) {
        const std::uint64_t op = in.take(1);
        const Target& target = targets[in.take(2) % targets.size()];
        if (target.path == "/file_checksum") continue;  // sealing needs it
        switch (op % 8) {
            case 0: case 1: case 2: case 3: overwrite(file.id(), target, in); break;
            case 4: case 5: reshape(file.id(), target, in); break;
            case 6: remove(file.id(), target); break;
            default: add_stranger(file.id(), target, in); break;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = airace::fuzz::temp_path("airace-fuzz-edits-");
    std::error_code error;
    std::filesystem::copy_file(base().path, path, std::filesystem::copy_options::overwrite_existing, error);
    if (error) return 0;
    Bytes in(data, size);
    edit(path, in);
    airace::fuzz::reseal(path, static_cast<std::size_t>(std::filesystem::file_size(path, error)));
    airace::fuzz::read_and_resume(path);
    std::remove(path.c_str());
    return 0;
}
