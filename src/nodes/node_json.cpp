#include "nodes/node_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <limits>
#include <utility>

#include "core/log_text.hpp"

namespace ls::nodes::node_json {

Result<boost::json::object> parseObject(std::string_view body, std::string_view product) {
  boost::json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec || !value.is_object()) return unavailable(std::string(product) + " answer is not a JSON object");
  return std::move(value.as_object());
}

std::optional<std::string_view> stringField(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

std::optional<std::int64_t> intField(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

bool isTrue(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr && v->is_bool() && v->get_bool();
}

std::string nodeText(std::string_view text) {
  return logText(text, 200);
}

}  // namespace ls::nodes::node_json
