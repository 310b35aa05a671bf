// Root attributes of a sweep run's file (sweep_identity.hpp).

#include "output/sweep_identity.hpp"

namespace airace {

void write_sweep_identity(const h5::Object& root, const SweepIdentity& identity) {
    if (identity.run_id.empty()) return;
    h5::set_attr_string(root, "sweep_run_id", identity.run_id);
    h5::set_attr_uint64(root, "sweep_index", identity.index);
    h5::set_attr_uint64(root, "sweep_point", identity.point);
    h5::set_attr_uint64(root, "sweep_replicate", identity.replicate);
    h5::set_attr_strings(root, "sweep_values", identity.values);
}

SweepIdentity read_sweep_identity(const h5::Object& root) {
    SweepIdentity identity;
    if (!h5::has_attr(root, "sweep_run_id")) return identity;
    identity.run_id = h5::attr_string(root, "sweep_run_id");
    identity.index = h5::attr_uint64(root, "sweep_index");
    identity.point = h5::attr_uint64(root, "sweep_point");
    identity.replicate = h5::attr_uint64(root, "sweep_replicate");
    identity.values = h5::attr_strings(root, "sweep_values", 100'000);
    return identity;
}

}  // namespace airace
