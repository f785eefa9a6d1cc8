// Building blocks of the Prometheus text exposition format (version 0.0.4),
// shared by every layer that renders /metrics families.
#pragma once

#include <string>
#include <string_view>

namespace ls::prometheus {

// "# HELP name help" and "# TYPE name type" lines.
void appendFamily(std::string& out, std::string_view name, std::string_view type, std::string_view help);
// A label value with backslash, double quote and line feed escaped.
void appendLabelValue(std::string& out, std::string_view value);

}  // namespace ls::prometheus
