#pragma once
// The registry's building blocks, shared by the files that register keys
// (config/schema_*_keys.cpp) and by config_schema.cpp, which assembles them in
// order: a key is registered once, with its type, range, unit, meaning and
// flags, and an accessor that reads and writes its ScenarioConfig field.

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace airace::schema {

// What a registration returns: `.start_only()` flags a key that is read only
// when the world is built (agent counts, initial values, traits drawn at the
// start), so a fork from a saved run refuses to change it.
struct Added {
    FieldSpec& spec;
    void start_only() { spec.start_only = true; }
};

class Registry {
public:
    template <class Access>
    Added real(std::string path, Access access, double min, double max, std::string unit,
              std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::real, min, max, std::move(unit),
                              std::move(doc));
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<double>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(static_cast<double>(access(const_cast<ScenarioConfig&>(c))));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added integer(std::string path, Access access, double min, double max, std::string unit,
                 std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::integer, min, max, std::move(unit),
                              std::move(doc));
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            using T = std::remove_reference_t<decltype(access(c))>;
            access(c) = static_cast<T>(std::get<std::int64_t>(v));
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(
                static_cast<std::int64_t>(access(const_cast<ScenarioConfig&>(c))));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added string(std::string path, Access access, bool required, std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::string, 0, 0, "", std::move(doc));
        spec.required = required;
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<std::string>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(access(const_cast<ScenarioConfig&>(c)));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added choice(std::string path, Access access, std::vector<std::string> choices,
                std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::choice, 0, 0, "", std::move(doc));
        spec.choices = std::move(choices);
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<std::string>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(access(const_cast<ScenarioConfig&>(c)));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    template <class Access>
    Added boolean(std::string path, Access access, std::string doc) {
        FieldSpec spec = base(std::move(path), FieldType::boolean, 0, 0, "", std::move(doc));
        spec.set = [access](ScenarioConfig& c, const FieldValue& v) {
            access(c) = std::get<bool>(v);
        };
        spec.get = [access](const ScenarioConfig& c) {
            return FieldValue(static_cast<bool>(access(const_cast<ScenarioConfig&>(c))));
        };
        fields.push_back(std::move(spec));
        return Added{fields.back()};
    }

    std::vector<FieldSpec> fields;

private:
    static FieldSpec base(std::string path, FieldType type, double min, double max,
                          std::string unit, std::string doc) {
        FieldSpec spec;
        spec.path = std::move(path);
        spec.type = type;
        spec.min = min;
        spec.max = max;
        spec.unit = std::move(unit);
        spec.doc = std::move(doc);
        return spec;
    }
};

// An accessor for a ScenarioConfig member: AIRACE_FIELD(labs.count).
#define AIRACE_FIELD(member) [](ScenarioConfig& c) -> auto& { return c.member; }

// The sections, in registry order (config_schema.cpp calls them in turn).
void scenario_and_time_keys(Registry& r);      // scenario.*, time.*
void scaling_and_algorithm_keys(Registry& r);  // scaling.*, algorithms.*
void compute_keys(Registry& r);                // compute.*
void lab_keys(Registry& r);                    // labs.*, but for regulation's
void investor_keys(Registry& r);               // investors.*
void product_and_data_keys(Registry& r);       // product.*, data.*, synthetic.*
void regulation_keys(Registry& r);             // labs' regulation keys, regions.*, regulators.*
void incident_keys(Registry& r);               // incidents.*

}  // namespace airace::schema
