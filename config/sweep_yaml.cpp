// Sweep files (config/sweep_config.hpp). They reuse the scenario reader's
// helpers (config/yaml_common.hpp: positions, strict scalar parsing, per-key
// conversion and range checks) so a swept value is judged exactly as the
// same value in a scenario would be.

#include "config/sweep_config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "base/errors.hpp"
#include "base/text.hpp"
#include "config/config_yaml.hpp"
#include "config/yaml_common.hpp"

namespace airace {

using yaml_detail::collecting;
using yaml_detail::convert_scalar;
using yaml_detail::fail;
using yaml_detail::Location;
using yaml_detail::location_of;
using yaml_detail::node_kind;
using yaml_detail::parse_document;
using yaml_detail::parse_real;
using yaml_detail::suggestion;
using yaml_detail::throw_problems;

namespace {

const std::vector<std::string> sweep_keys = {"name",   "description", "base",        "design",
                                             "samples", "levels",     "design_seed", "replicates",
                                             "seeds",  "metrics",     "metric_year", "parameters"};
const std::vector<std::string> parameter_keys = {"key", "range", "values", "scale"};
const std::vector<std::string> design_names = {"grid", "zip", "lhs", "sobol", "morris", "ensemble"};

class SweepReader {
public:
    explicit SweepReader(std::string source) : source_(std::move(source)) {}

    SweepConfig read(const YAML::Node& root) {
        SweepConfig sweep;
        std::map<std::string, YAML::Node> top = mapping(root, "", {"sweep"});
        collecting(errors_, [&] {
            if (!top.count("sweep")) fail(where(root), "sweep", "missing required key: the sweep's settings");
            if (!top["sweep"].IsMap())
                fail(where(top["sweep"]), "sweep",
                     fmt::format("expected a mapping of keys, got {}", node_kind(top["sweep"])));
        });
        if (!errors_.empty()) throw_problems(errors_);
        const YAML::Node& body = top["sweep"];
        // Each part is checked even when another has failed, so that every
        // problem of the file is reported at once.
        std::map<std::string, YAML::Node> keys = mapping(body, "sweep", sweep_keys);
        collecting(errors_, [&] { read_identity(keys, body, sweep); });
        bool design_read = false;
        collecting(errors_, [&] {
            read_design(keys, body, sweep);
            design_read = true;
        });
        collecting(errors_, [&] {
            if (keys.count("design_seed"))
                sweep.design_seed = static_cast<std::uint64_t>(
                    integer(keys["design_seed"], "sweep.design_seed", 0, 9.0e15));
        });
        collecting(errors_, [&] { read_seeds(keys, body, sweep); });
        const bool ensemble = design_read && sweep.design == DesignKind::ensemble;
        collecting(errors_, [&] {
            // An ensemble keeps every aggregate unless it lists some.
            if (!ensemble || keys.count("metrics"))
                metrics(require(keys, body, "metrics", "a list of /aggregates names to keep"), sweep);
        });
        collecting(errors_, [&] {
            if (keys.count("metric_year"))
                sweep.metric_year =
                    static_cast<int>(integer(keys["metric_year"], "sweep.metric_year", 1900, 2200));
        });
        collecting(errors_, [&] {
            if (ensemble) {
                if (keys.count("parameters"))
                    fail(where(keys["parameters"]), "sweep.parameters",
                         "an ensemble runs the base scenario itself once per seed and varies no key: remove "
                         "sweep.parameters (or use the grid design to vary keys)");
                return;
            }
            const std::size_t errors_before = errors_.size();
            parameters(require(keys, body, "parameters", "a list of parameters to vary"), sweep);
            // How parameters fit the design: once the design and every parameter are known.
            if (design_read && errors_.size() == errors_before) parameters_fit_design(sweep);
        });
        if (!errors_.empty()) throw_problems(errors_);
        return sweep;
    }

private:
    Location where(const YAML::Node& node) const { return location_of(source_, node.Mark()); }

    // The value of a required key of `body` (the sweep mapping).
    const YAML::Node& require(std::map<std::string, YAML::Node>& keys, const YAML::Node& body,
                              const char* key, const char* what) {
        if (!keys.count(key))
            fail(where(body), fmt::format("sweep.{}", key), fmt::format("missing required key: {}", what));
        return keys[key];
    }

    // The run seeds, and replicates (which must agree with them).
    void read_seeds(std::map<std::string, YAML::Node>& keys, const YAML::Node& body, SweepConfig& sweep) {
        seeds(require(keys, body, "seeds", "a list of run seeds, one per replicate"), sweep);
        if (keys.count("replicates")) {
            const auto replicates = static_cast<std::size_t>(
                integer(keys["replicates"], "sweep.replicates", 1, 1'000'000));
            if (replicates != sweep.seeds.size())
                fail(where(keys["replicates"]), "sweep.replicates",
                     fmt::format("is {} but seeds lists {} seed(s); give one seed per replicate",
                                 replicates, sweep.seeds.size()));
        }
    }

    // name, description and the base scenario file.
    void read_identity(std::map<std::string, YAML::Node>& keys, const YAML::Node& body,
                       SweepConfig& sweep) {
        sweep.name = text(require(keys, body, "name", "a short identifier of the sweep"), "sweep.name");
        // The name becomes a Slurm job name and a label in file listings.
        if (sweep.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
            std::string::npos)
            fail(where(keys["name"]), "sweep.name",
                 fmt::format("expected a short identifier (letters, digits, _ . -), got '{}'", clip(sweep.name)));
        if (keys.count("description")) sweep.description = text(keys["description"], "sweep.description");
        const YAML::Node& base = require(keys, body, "base", "the base scenario file, relative to the sweep file");
        std::filesystem::path base_path = text(base, "sweep.base");
        if (base_path.is_relative()) base_path = std::filesystem::path(source_).parent_path() / base_path;
        sweep.base = base_path.lexically_normal().string();
        sweep.base_line = where(base).line;
        sweep.base_column = where(base).column;
    }

    // The design and its size: samples (lhs, sobol, morris) and levels (grid, zip, morris).
    void read_design(std::map<std::string, YAML::Node>& keys, const YAML::Node& body,
                     SweepConfig& sweep) {
        sweep.design = design(require(keys, body, "design", "one of grid, zip, lhs, sobol, morris, ensemble"));
        const bool sampled = sweep.design == DesignKind::lhs || sweep.design == DesignKind::sobol ||
                             sweep.design == DesignKind::morris;
        if (sampled) {
            sweep.samples = static_cast<std::size_t>(
                integer(require(keys, body, "samples", "the number of samples (lhs, sobol) or trajectories (morris)"),
                        "sweep.samples", sweep.design == DesignKind::sobol ? 2 : 1, 1'000'000));
        } else if (keys.count("samples")) {
            fail(where(keys["samples"]), "sweep.samples", "applies to lhs, sobol and morris designs only");
        }
        if (keys.count("levels")) {
            if (sweep.design == DesignKind::lhs || sweep.design == DesignKind::sobol ||
                sweep.design == DesignKind::ensemble)
                fail(where(keys["levels"]), "sweep.levels", "applies to grid, zip and morris designs only");
            sweep.levels = static_cast<std::size_t>(integer(keys["levels"], "sweep.levels", 2, 1'000));
            if (sweep.design == DesignKind::morris && sweep.levels % 2 != 0)
                fail(where(keys["levels"]), "sweep.levels",
                     fmt::format("morris needs an even number of levels (so the step p/(2(p-1)) "
                                 "stays on the grid), got {}", sweep.levels));
        } else if (sweep.design == DesignKind::morris) {
            sweep.levels = 4;
        }
    }

    // Keys of a mapping, each allowed and given once.
    std::map<std::string, YAML::Node> mapping(const YAML::Node& node, const std::string& prefix,
                                              const std::vector<std::string>& allowed) {
        std::map<std::string, YAML::Node> out;
        std::map<std::string, int> lines;
        for (auto it = node.begin(); it != node.end(); ++it)
            collecting(errors_, [&] { mapping_entry(it->first, it->second, prefix, allowed, out, lines); });
        return out;
    }

    void mapping_entry(const YAML::Node& key_node, const YAML::Node& value, const std::string& prefix,
                       const std::vector<std::string>& allowed, std::map<std::string, YAML::Node>& out,
                       std::map<std::string, int>& lines) {
        const Location key_where = where(key_node);
        if (!key_node.IsScalar())
            fail(key_where, prefix, "keys must be plain words, found " + node_kind(key_node));
        const std::string key = key_node.Scalar();
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            const std::string near = closest_of(key, allowed);
            fail(key_where, path,
                 "unknown key" + (near.empty() ? fmt::format(" (expected one of {})", fmt::join(allowed, ", "))
                                               : fmt::format("; did you mean '{}'?", near)));
        }
        if (lines.count(key))
            fail(key_where, path, fmt::format("duplicate key (first given at line {})", lines[key]));
        lines[key] = key_where.line;
        // A null value keeps the key's position for messages.
        out[key] = value.IsNull() ? key_node : value;
        if (value.IsNull()) null_keys_.insert(path);
    }

    std::string text(const YAML::Node& node, const std::string& path) {
        if (!node.IsScalar() || null_keys_.count(path) || node.Scalar().empty())
            fail(where(node), path, fmt::format("expected text, got {}", node_kind(node)));
        return node.Scalar();
    }

    double integer(const YAML::Node& node, const std::string& path, double low, double high) {
        double value = 0;
        if (!node.IsScalar() || null_keys_.count(path) || !parse_real(node.Scalar(), value) ||
            value != std::floor(value) || value < low || value > high)
            fail(where(node), path,
                 fmt::format("expected an integer in [{}, {}], got {}", low, high,
                             null_keys_.count(path) ? "nothing" : node_kind(node)));
        return value;
    }

    DesignKind design(const YAML::Node& node) {
        const std::string name = text(node, "sweep.design");
        for (std::size_t i = 0; i < design_names.size(); ++i)
            if (name == design_names[i]) return static_cast<DesignKind>(i);
        const std::string near = closest_of(name, design_names);
        fail(where(node), "sweep.design",
             fmt::format("expected one of {}, got '{}'{}", fmt::join(design_names, ", "), clip(name),
                         near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
    }

    const YAML::Node& list(const YAML::Node& node, const std::string& path, const char* what) {
        if (!node.IsSequence() || node.size() == 0 || null_keys_.count(path))
            fail(where(node), path, fmt::format("expected a non-empty list of {}, got {}", what,
                                                null_keys_.count(path) ? "nothing" : node_kind(node)));
        return node;
    }

    void seeds(const YAML::Node& node, SweepConfig& sweep) {
        list(node, "sweep.seeds", "seeds");
        std::set<std::uint64_t> seen;  // not a scan per seed: a long list must stay linear
        for (std::size_t i = 0; i < node.size(); ++i) {
            const std::string path = fmt::format("sweep.seeds.{}", i);
            const auto seed = static_cast<std::uint64_t>(integer(node[i], path, 0, 9.0e15));
            if (!seen.insert(seed).second)
                fail(where(node[i]), path, fmt::format("seed {} is given twice; replicates need distinct seeds", seed));
            sweep.seeds.push_back(seed);
        }
    }

    void metrics(const YAML::Node& node, SweepConfig& sweep) {
        list(node, "sweep.metrics", "/aggregates names");
        for (std::size_t i = 0; i < node.size(); ++i) {
            const std::string path = fmt::format("sweep.metrics.{}", i);
            const std::string name = text(node[i], path);
            if (name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
                fail(where(node[i]), path, fmt::format("'{}' is not an /aggregates name (lower case, digits, _)", clip(name)));
            if (std::find(sweep.metrics.begin(), sweep.metrics.end(), name) != sweep.metrics.end())
                fail(where(node[i]), path, fmt::format("metric '{}' is listed twice", name));
            sweep.metrics.push_back(name);
        }
    }

    void parameters(const YAML::Node& node, SweepConfig& sweep) {
        list(node, "sweep.parameters", "parameters (mappings with key and range or values)");
        for (std::size_t i = 0; i < node.size(); ++i)
            collecting(errors_, [&] { read_parameter(node[i], i, sweep); });
    }

    void read_parameter(const YAML::Node& item, std::size_t i, SweepConfig& sweep) {
        const std::string prefix = fmt::format("sweep.parameters.{}", i);
        if (!item.IsMap())
            fail(where(item), prefix, fmt::format("expected a mapping with key and range or values, got {}",
                                                  node_kind(item)));
        const std::size_t errors_before = errors_.size();
        SweepParameter p = parameter(item, prefix);
        if (errors_.size() > errors_before) return;  // a key of the item was wrong: reported
        for (std::size_t j = 0; j < sweep.parameters.size(); ++j)
            if (sweep.parameters[j].key == p.key)
                fail(where(item), prefix + ".key",
                     fmt::format("'{}' is already swept by parameter {}", p.key, j));
        sweep.parameters.push_back(std::move(p));
    }

    // Ranges need levels in grid and zip designs; zip pairs equal lengths.
    void parameters_fit_design(const SweepConfig& sweep) {
        std::size_t length = 0;
        for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
            const SweepParameter& p = sweep.parameters[i];
            const Location at{source_, p.line, p.column};
            const bool listed = sweep.design == DesignKind::grid || sweep.design == DesignKind::zip;
            if (listed && p.has_range && sweep.levels == 0)
                fail(at, fmt::format("sweep.parameters.{}.range", i),
                     fmt::format("a {} design needs sweep.levels (points per range) or a list of values",
                                 design_name(sweep.design)));
            if (sweep.design != DesignKind::zip) continue;
            const std::size_t n = p.has_range ? sweep.levels : p.values.size();
            if (i == 0) length = n;
            if (n != length)
                fail(at, fmt::format("sweep.parameters.{}", i),
                     fmt::format("zip pairs the i-th values of every parameter: this one has {} "
                                 "values, parameter 0 has {}", n, length));
        }
    }

    SweepParameter parameter(const YAML::Node& item, const std::string& prefix) {
        std::map<std::string, YAML::Node> keys = mapping(item, prefix, parameter_keys);
        SweepParameter p;
        p.line = where(item).line;
        p.column = where(item).column;
        if (!keys.count("key")) fail(where(item), prefix + ".key", "missing required key: a scenario key path");
        const FieldSpec spec = parameter_key(keys["key"], prefix, p);
        p.type = spec.type;
        const bool numeric = p.type == FieldType::real || p.type == FieldType::integer;
        if (keys.count("range") == keys.count("values"))
            fail(where(item), prefix, "give either range: [low, high] or values: [...]");
        if (keys.count("range")) parameter_range(keys["range"], spec, numeric, prefix, p);
        if (keys.count("values")) parameter_values(keys["values"], spec, numeric, prefix, p);
        if (keys.count("scale")) parameter_scale(keys["scale"], prefix, p);
        return p;
    }

    // The scenario key a parameter sweeps: one that exists and may be swept.
    FieldSpec parameter_key(const YAML::Node& node, const std::string& prefix, SweepParameter& p) {
        p.key = text(node, prefix + ".key");
        const Location key_where = where(node);
        const std::optional<FieldSpec> spec = find_field(p.key);
        if (!spec) {
            // A truncated key ("data.human_stock") is too far from the full
            // one for edit distance; suggest the key it begins.
            std::string hint = suggestion(p.key);
            for (const auto& field : scenario_fields())
                if (hint.find("did you mean") == std::string::npos && field.path.rfind(p.key, 0) == 0)
                    hint = fmt::format("; did you mean '{}'?", field.path);
            fail(key_where, prefix + ".key", fmt::format("'{}' is not a scenario key{}", clip(p.key), hint));
        }
        if (p.key.rfind("time.", 0) == 0 || p.key.rfind("scenario.", 0) == 0)
            fail(key_where, prefix + ".key",
                 fmt::format("'{}' cannot be swept: runs must share one time axis, and seeds "
                             "come from sweep.seeds", p.key));
        return *spec;
    }

    // range: [low, high], each bound judged as the key's value would be.
    void parameter_range(const YAML::Node& range, const FieldSpec& spec, bool numeric,
                         const std::string& prefix, SweepParameter& p) {
        if (!numeric)
            fail(where(range), prefix + ".range",
                 fmt::format("{} is a {} key: list its values instead", p.key, field_type_name(p.type)));
        if (!range.IsSequence() || range.size() != 2)
            fail(where(range), prefix + ".range", fmt::format("expected [low, high], got {}", node_kind(range)));
        const auto bound = [&](std::size_t k) {
            const YAML::Node& b = range[k];
            const FieldValue v = convert_scalar(spec, b.IsScalar() ? b.Scalar() : "", b.IsScalar(),
                                                node_kind(b), where(b));
            return p.type == FieldType::integer ? static_cast<double>(std::get<std::int64_t>(v))
                                                : std::get<double>(v);
        };
        p.has_range = true;
        p.low = bound(0);
        p.high = bound(1);
        if (!(p.low < p.high))
            fail(where(range), prefix + ".range", fmt::format("low ({}) must be below high ({})", p.low, p.high));
    }

    // values: [...], each judged as the key's value would be.
    void parameter_values(const YAML::Node& node, const FieldSpec& spec, bool numeric,
                          const std::string& prefix, SweepParameter& p) {
        const YAML::Node& values = list(node, prefix + ".values", "values");
        for (std::size_t k = 0; k < values.size(); ++k) {
            const YAML::Node& v = values[k];
            const FieldValue value = convert_scalar(spec, v.IsScalar() ? v.Scalar() : "", v.IsScalar(),
                                                    node_kind(v), where(v));
            p.values.push_back(format_field_value(value));
            if (const auto* real = std::get_if<double>(&value)) p.numeric.push_back(*real);
            if (const auto* whole = std::get_if<std::int64_t>(&value))
                p.numeric.push_back(static_cast<double>(*whole));
            // Text values keep the file's spelling (exact for reals).
            if (v.IsScalar() && numeric) p.values.back() = v.Scalar();
        }
    }

    // scale: lin or log, for a range only.
    void parameter_scale(const YAML::Node& scale, const std::string& prefix, SweepParameter& p) {
        const std::string name = text(scale, prefix + ".scale");
        if (!p.has_range) fail(where(scale), prefix + ".scale", "applies to a range, not to listed values");
        if (name == "log") {
            p.scale = ParameterScale::log;
        } else if (name != "lin") {
            fail(where(scale), prefix + ".scale", fmt::format("expected lin or log, got '{}'", clip(name)));
        }
        if (p.scale == ParameterScale::log && p.low <= 0)
            fail(where(scale), prefix + ".scale", fmt::format("a log scale needs low > 0, got {}", p.low));
    }

    std::string source_;
    std::set<std::string> null_keys_;
    std::vector<std::string> errors_;
};

}  // namespace

std::string design_name(DesignKind design) { return design_names[static_cast<std::size_t>(design)]; }

std::string scale_name(ParameterScale scale) { return scale == ParameterScale::log ? "log" : "lin"; }

SweepConfig load_sweep_text(const std::string& text, const std::string& source) {
    const YAML::Node root =
        parse_document(text, source, "a sweep file must be a mapping with a 'sweep' key");
    SweepConfig sweep = SweepReader(source).read(root);
    sweep.source = source;
    sweep.text = text;
    return sweep;
}

SweepConfig load_sweep(const std::string& path) {
    std::string text;
    std::string problem;
    if (!read_config_text(path, "sweep file", text, problem))
        throw ConfigError(fmt::format("{}: {}", path, problem));
    return load_sweep_text(text, path);
}

}  // namespace airace
