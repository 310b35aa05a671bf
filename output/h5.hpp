#pragma once
// Thin RAII layer over the HDF5 C API, in the spirit of HighFive: every call
// is checked, every failure becomes an h5::Error that names the object path
// and the innermost reason HDF5 gave. Only output/ includes this header (and
// so hdf5.h); writer.cpp and reader.cpp turn h5::Error into the project's
// typed exceptions (RuntimeFailure when writing, RunFileError when reading).
//
// This file holds what both directions share: handles, checked calls,
// attributes, strings and compound types (implemented in h5.cpp,
// h5_attributes.cpp and h5_files.cpp). How our datasets are stored
// (chunking, compression) is the writers' policy and lives in storage.hpp
// and chunked.hpp; typed, shape-checked dataset reads live in reader.cpp.

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace airace::h5 {

// An HDF5 call failed. what(): "<operation> failed at <object path>: <reason>".
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Turns off HDF5's automatic printing of its error stack on this thread. The
// Debian library is built thread-safe, where that setting is per thread, so
// create_file and open_file_read_only call it (cheap after the first call).
void silence_errors();

// The linked HDF5 library's version, "1.10.8".
std::string library_version();

// --- checked calls -----------------------------------------------------------

[[noreturn]] void fail(const char* operation, const std::string& where);
// The Error fail() would throw (HDF5's error stack is read and cleared).
Error failure(const char* operation, const std::string& where);

// Sends every later write to `object`'s file (when it is open for writing)
// to an in-memory file instead of the disk. Why: when a write fails (full
// disk, I/O error), HDF5 still has dirty chunks and metadata to flush, so
// closing the file or its datasets fails too; a failed close leaves a
// half-destroyed object behind its ID, and HDF5's exit handler then crashed
// flushing it again (found by tests/tools/failure_modes.sh: a full disk
// ended `airace run` with SIGSEGV after its error message, and the .tmp
// stayed open). After this the closes succeed; what is on disk is
// incomplete and the writer removes it.
void abandon_writes(hid_t object) noexcept;
hid_t check_id(hid_t id, const char* operation, const std::string& where);
void check(herr_t status, const char* operation, const std::string& where);
bool check_tri(htri_t status, const char* operation, const std::string& where);

// Owns one hid_t and closes it with the matching H5?close.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle() noexcept = default;
    Handle(hid_t id, Closer closer) noexcept : id_(id), closer_(closer) {}
    ~Handle() { reset(); }
    Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) {
        other.id_ = H5I_INVALID_HID;
    }
    Handle& operator=(Handle&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = other.id_;
            closer_ = other.closer_;
            other.id_ = H5I_INVALID_HID;
        }
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    hid_t id() const noexcept { return id_; }
    // Closes now and reports failure (closing a file flushes it, so a full
    // disk shows up here). `where` names the object for the message.
    // Datasets and files are flushed first: a flush that fails leaves them
    // intact, so they can be abandoned (abandon_writes) and closed cleanly.
    void close(const std::string& where) {
        if (id_ < 0 || closer_ == nullptr) return;
        const hid_t id = id_;
        id_ = H5I_INVALID_HID;
        const bool flushes = closer_ == &H5Dclose || closer_ == &H5Fclose;
        if (flushes && (closer_ == &H5Dclose ? H5Dflush(id) : H5Fflush(id, H5F_SCOPE_LOCAL)) < 0) {
            Error error = failure("flush", where);
            abandon_writes(id);
            closer_(id);
            throw error;
        }
        if (closer_(id) < 0) fail("close", where);
    }

private:
    // Destructor path: a close error cannot be reported (use close()). While
    // an exception unwinds, the write it interrupted is abandoned first, so
    // that closing cannot fail (abandon_writes).
    void reset() noexcept {
        if (id_ >= 0 && closer_ != nullptr) {
            if (std::uncaught_exceptions() > 0 &&
                (closer_ == &H5Dclose || closer_ == &H5Gclose || closer_ == &H5Fclose ||
                 closer_ == &H5Aclose))
                abandon_writes(id_);
            closer_(id_);
        }
        id_ = H5I_INVALID_HID;
    }
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

// A file, group or dataset together with its path inside the file.
struct Object {
    Handle handle;
    std::string path;  // "/", "/labs", "/labs/cash"
    hid_t id() const noexcept { return handle.id(); }
};

std::string child_path(const Object& parent, const std::string& name);

// --- building blocks ---------------------------------------------------------

Handle property_list(hid_t property_class, const std::string& where);
Handle simple_space(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& max_dims,
                    const std::string& where);
Handle scalar_space(const std::string& where);
Handle vlen_string_type(const std::string& where);  // variable-length UTF-8
// Dataset creation list with object time tracking off (reproducible bytes).
Handle dataset_create_plist(const std::string& where);
// File or group creation list: object times off, link creation order
// tracked and indexed.
Handle create_plist_with_order(hid_t property_class, const std::string& where);
Object create_dataset(const Object& parent, const std::string& name, hid_t file_type,
                      const Handle& space, const Handle& dcpl);

// A compound type built field by field; the same names are used for the
// packed little-endian file type and the in-memory (struct) type.
struct Field {
    const char* name;
    std::size_t offset;  // offsetof in the memory struct
    hid_t file_type;     // e.g. H5T_STD_I32LE
    hid_t memory_type;   // e.g. H5T_NATIVE_INT32
};
struct CompoundTypes {
    Handle file;
    Handle memory;
};
inline CompoundTypes make_compound(const std::vector<Field>& fields, std::size_t struct_size) {
    std::size_t packed_size = 0;
    for (const Field& field : fields) packed_size += H5Tget_size(field.file_type);
    const std::string where = "compound type";
    CompoundTypes types{
        {check_id(H5Tcreate(H5T_COMPOUND, packed_size), "H5Tcreate", where), H5Tclose},
        {check_id(H5Tcreate(H5T_COMPOUND, struct_size), "H5Tcreate", where), H5Tclose}};
    std::size_t file_offset = 0;
    for (const Field& field : fields) {
        check(H5Tinsert(types.file.id(), field.name, file_offset, field.file_type), "H5Tinsert",
              where);
        check(H5Tinsert(types.memory.id(), field.name, field.offset, field.memory_type),
              "H5Tinsert", where);
        file_offset += H5Tget_size(field.file_type);
    }
    return types;
}

// --- files and groups --------------------------------------------------------

// Creates (truncating) a file with fixed format bounds, no object times and
// tracked link creation order. File objects carry the file path as `path`.
Object create_file(const std::string& file_path);
Object open_file_read_only(const std::string& file_path);
// For completing a copy of a file being written (output/stream_writer.cpp).
Object open_file_read_write(const std::string& file_path);
Object root_group(const Object& file);  // path "/"

// Groups track link creation order so readers get objects back in the order
// they were written.
Object create_group(const Object& parent, const std::string& name);
Object open_group(const Object& parent, const std::string& name);
Object open_dataset(const Object& parent, const std::string& name);

bool has_link(const Object& parent, const std::string& name);
bool is_group(const Object& parent, const std::string& name);
// Link names in creation order (name order for groups that do not track it);
// fails when the group has more than max_count links.
std::vector<std::string> link_names(const Object& parent, std::size_t max_count);

// --- attributes --------------------------------------------------------------

void set_attr_string(const Object& object, const std::string& name, const std::string& value);
void set_attr_strings(const Object& object, const std::string& name,
                      const std::vector<std::string>& values);
void set_attr_int32(const Object& object, const std::string& name, std::int32_t value);
void set_attr_uint64(const Object& object, const std::string& name, std::uint64_t value);
void set_attr_double(const Object& object, const std::string& name, double value);

bool has_attr(const Object& object, const std::string& name);
std::string attr_string(const Object& object, const std::string& name);
// Fails when the attribute holds more than max_count strings.
std::vector<std::string> attr_strings(const Object& object, const std::string& name,
                                      std::size_t max_count);
std::int64_t attr_int(const Object& object, const std::string& name);
std::uint64_t attr_uint64(const Object& object, const std::string& name);

// --- datasets ------------------------------------------------------------------

// Strings of a 1-D dataset whose length the caller has checked.
std::vector<std::string> read_strings(const Object& dataset, std::size_t count);
// File offset of a contiguous dataset's data (for /file_checksum).
std::uint64_t storage_offset(const Object& dataset);
// Pointers for writing variable-length strings; valid while `values` lives.
std::vector<const char*> c_strings(const std::vector<std::string>& values);

}  // namespace airace::h5
