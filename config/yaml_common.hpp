#pragma once
// Helpers shared by the config layer's YAML readers (config_yaml.cpp for
// scenario files, sweep_yaml.cpp for sweep files): message locations, strict
// scalar conversion against the field registry, and the one way a file
// becomes a YAML tree. Internal to the config layer, the only code that may
// include yaml-cpp; higher layers use config/config_yaml.hpp and
// config/sweep_config.hpp.

#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "base/errors.hpp"
#include "config/config.hpp"

namespace airace::yaml_detail {

struct Location {
    std::string source;
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based
    std::string text() const {
        if (line <= 0) return source;
        return fmt::format("{}:{}:{}", source, line, column);
    }
};

Location location_of(const std::string& source, const YAML::Mark& mark);

// Throws ConfigError "where: key: what" (or "where: what" for an empty key).
[[noreturn]] void fail(const Location& where, const std::string& key, const std::string& what);

// Runs `step`, keeping the message of a ConfigError it throws in `errors`
// and going on, so that one reading reports every problem of a file.
template <class Step>
void collecting(std::vector<std::string>& errors, Step&& step) {
    try {
        step();
    } catch (const ConfigError& error) {
        errors.push_back(error.what());
    }
}

// Throws one ConfigError with every problem in `errors`, one per line (at
// most max_reported_problems of them; the rest are counted).
[[noreturn]] void throw_problems(const std::vector<std::string>& errors);

// How a node is shown in messages: its text, or what kind of node it is.
std::string node_kind(const YAML::Node& node);

// Strict real: the whole text, finite, an optional leading '+'.
bool parse_real(const std::string& text, double& out);

// Converts scalar text to the field's type and checks the range. `where`
// locates the value for messages.
FieldValue convert_scalar(const FieldSpec& spec, const std::string& text, bool is_scalar,
                          const std::string& shown, const Location& where);

// "; did you mean '...'?" for an unknown key path, or a pointer to the list of keys.
std::string suggestion(const std::string& path);

// The one way a scenario or sweep file becomes a YAML tree: size and nesting
// checked before yaml-cpp sees the text, syntax errors located, the node
// count capped, and the root required to be a mapping (`expected` says what
// the file must be when it is not).
YAML::Node parse_document(const std::string& text, const std::string& source,
                          const char* expected);

}  // namespace airace::yaml_detail
