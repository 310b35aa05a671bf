// Attributes and strings over the HDF5 C API (see h5.hpp): typed attributes
// written and read back with their shapes checked, and variable-length
// strings (ours) or fixed-length ones (other writers) read from attributes
// and datasets alike.

#include "output/h5.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace airace::h5 {
namespace {

std::string attr_where(const Object& object, const std::string& name) {
    return fmt::format("{} (attribute '{}')", object.path, name);
}

std::size_t point_count(hid_t space, const std::string& where) {
    const hssize_t points = H5Sget_simple_extent_npoints(space);
    if (points < 0) fail("H5Sget_simple_extent_npoints", where);
    return static_cast<std::size_t>(points);
}

// Reads `count` strings from an attribute (is_attr) or dataset, whether the
// file stores them variable-length (ours) or fixed-length (other writers, so
// a foreign file's `format` can still be named in the error message).
std::vector<std::string> read_string_data(hid_t object, bool is_attr, std::size_t count,
                                          const std::string& where) {
    std::vector<std::string> values(count);
    if (count == 0) return values;
    Handle file_type(
        check_id(is_attr ? H5Aget_type(object) : H5Dget_type(object), "get type", where), H5Tclose);
    if (H5Tget_class(file_type.id()) != H5T_STRING) {
        throw Error(fmt::format("{} does not hold strings", where));
    }
    Handle memory_type(
        check_id(H5Tget_native_type(file_type.id(), H5T_DIR_ASCEND), "H5Tget_native_type", where),
        H5Tclose);
    auto read = [&](void* buffer) {
        const herr_t status =
            is_attr ? H5Aread(object, memory_type.id(), buffer)
                    : H5Dread(object, memory_type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
        check(status, is_attr ? "H5Aread" : "H5Dread", where);
    };
    if (check_tri(H5Tis_variable_str(file_type.id()), "H5Tis_variable_str", where)) {
        std::vector<char*> pointers(count, nullptr);
        read(pointers.data());
        for (std::size_t i = 0; i < count; ++i) {
            if (pointers[i] != nullptr) values[i] = pointers[i];
        }
        Handle space = simple_space({count}, {}, where);
        check(H5Dvlen_reclaim(memory_type.id(), space.id(), H5P_DEFAULT, pointers.data()),
              "H5Dvlen_reclaim", where);
        return values;
    }
    const std::size_t width = H5Tget_size(memory_type.id());
    if (width == 0) fail("H5Tget_size", where);
    std::vector<char> buffer(width * count);
    read(buffer.data());
    for (std::size_t i = 0; i < count; ++i) {
        const char* begin = buffer.data() + i * width;
        values[i].assign(begin, std::find(begin, begin + width, '\0'));
    }
    return values;
}

Handle open_attr(const Object& object, const std::string& name) {
    return {check_id(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), "H5Aopen",
                     attr_where(object, name)),
            H5Aclose};
}

std::size_t attr_points(const Handle& attr, const std::string& where) {
    Handle space(check_id(H5Aget_space(attr.id()), "H5Aget_space", where), H5Sclose);
    return point_count(space.id(), where);
}

// A numeric attribute holding exactly one integer, read as `memory_type`.
void read_int_attr(const Object& object, const std::string& name, hid_t memory_type, void* out) {
    const std::string where = attr_where(object, name);
    Handle attr = open_attr(object, name);
    Handle type(check_id(H5Aget_type(attr.id()), "H5Aget_type", where), H5Tclose);
    if (H5Tget_class(type.id()) != H5T_INTEGER || attr_points(attr, where) != 1) {
        throw Error(fmt::format("{} is not one integer", where));
    }
    check(H5Aread(attr.id(), memory_type, out), "H5Aread", where);
}

void write_attr(const Object& object, const std::string& name, hid_t file_type, hid_t memory_type,
                const Handle& space, const void* data) {
    const std::string where = attr_where(object, name);
    Handle attr(check_id(H5Acreate2(object.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT,
                                    H5P_DEFAULT),
                         "H5Acreate2", where),
                H5Aclose);
    // HDF5 refuses a null buffer even for zero elements (an empty vector).
    if (data != nullptr) check(H5Awrite(attr.id(), memory_type, data), "H5Awrite", where);
    attr.close(where);
}

}  // namespace

void set_attr_string(const Object& object, const std::string& name, const std::string& value) {
    const std::string where = attr_where(object, name);
    Handle type = vlen_string_type(where);
    const char* pointer = value.c_str();
    write_attr(object, name, type.id(), type.id(), scalar_space(where), &pointer);
}

void set_attr_strings(const Object& object, const std::string& name,
                      const std::vector<std::string>& values) {
    const std::string where = attr_where(object, name);
    Handle type = vlen_string_type(where);
    const std::vector<const char*> pointers = c_strings(values);
    write_attr(object, name, type.id(), type.id(), simple_space({values.size()}, {}, where),
               pointers.data());
}

void set_attr_int32(const Object& object, const std::string& name, std::int32_t value) {
    write_attr(object, name, H5T_STD_I32LE, H5T_NATIVE_INT32,
               scalar_space(attr_where(object, name)), &value);
}

void set_attr_uint64(const Object& object, const std::string& name, std::uint64_t value) {
    write_attr(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64,
               scalar_space(attr_where(object, name)), &value);
}

void set_attr_double(const Object& object, const std::string& name, double value) {
    write_attr(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
               scalar_space(attr_where(object, name)), &value);
}

bool has_attr(const Object& object, const std::string& name) {
    return check_tri(H5Aexists(object.id(), name.c_str()), "H5Aexists", attr_where(object, name));
}

std::string attr_string(const Object& object, const std::string& name) {
    const std::string where = attr_where(object, name);
    Handle attr = open_attr(object, name);
    if (attr_points(attr, where) != 1) throw Error(fmt::format("{} is not one string", where));
    return read_string_data(attr.id(), true, 1, where).front();
}

std::vector<std::string> attr_strings(const Object& object, const std::string& name,
                                      std::size_t max_count) {
    const std::string where = attr_where(object, name);
    Handle attr = open_attr(object, name);
    const std::size_t count = attr_points(attr, where);
    if (count > max_count) {
        throw Error(fmt::format("{} holds {} strings, more than {}", where, count, max_count));
    }
    return read_string_data(attr.id(), true, count, where);
}

std::int64_t attr_int(const Object& object, const std::string& name) {
    std::int64_t value = 0;
    read_int_attr(object, name, H5T_NATIVE_INT64, &value);
    return value;
}

std::uint64_t attr_uint64(const Object& object, const std::string& name) {
    std::uint64_t value = 0;
    read_int_attr(object, name, H5T_NATIVE_UINT64, &value);
    return value;
}

std::vector<std::string> read_strings(const Object& dataset, std::size_t count) {
    Handle space(check_id(H5Dget_space(dataset.id()), "H5Dget_space", dataset.path), H5Sclose);
    const std::size_t points = point_count(space.id(), dataset.path);
    if (points != count) {
        throw Error(fmt::format("{} holds {} strings, expected {}", dataset.path, points, count));
    }
    return read_string_data(dataset.id(), false, count, dataset.path);
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& value : values) pointers.push_back(value.c_str());
    return pointers;
}

}  // namespace airace::h5
