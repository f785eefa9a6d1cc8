// Reading the JSON answers of node APIs (internal to nodes/): a bounded
// parse, then fields read by name with their type checked. A field that is
// absent or of another type reads as "not there"; the parsers decide what
// that means. Pure.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace ls::nodes::node_json {

// Deep enough for every answer read here (a MediaMTX path's tracks2 codec
// properties sit five levels down), shallow enough that a hostile answer
// cannot make parsing or freeing the document recurse without bound.
inline constexpr std::size_t kMaxDepth = 16;

// The body as a JSON object; kUnavailable "<product> answer is not a JSON
// object" otherwise (the node cannot be understood, which is a node fault).
Result<boost::json::object> parseObject(std::string_view body, std::string_view product);

std::optional<std::string_view> stringField(const boost::json::object& o, std::string_view name);
// An integer, signed or unsigned, that fits int64; nullopt for anything else
// (a float, a string of digits).
std::optional<std::int64_t> intField(const boost::json::object& o, std::string_view name);
// True only for a JSON true.
bool isTrue(const boost::json::object& o, std::string_view name);
// Text a node wrote (an error message), made safe and short enough to quote
// in our own messages and logs.
std::string nodeText(std::string_view text);

}  // namespace ls::nodes::node_json
