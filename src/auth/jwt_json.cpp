#include "auth/jwt_json.hpp"

#include <limits>

#include "core/encoding.hpp"

namespace ls::auth {

namespace json = boost::json;

Result<json::object> decodeJsonSegment(std::string_view segment, std::string_view what,
                                       const StrictJsonLimits& limits) {
  const auto bytes = base64UrlDecode(segment);
  if (!bytes) return invalidArgument(std::string(what) + " is not base64url");
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  auto value = parseStrictJson(text, limits);
  if (!value) return invalidArgument(std::string(what) + ": " + value.status().message());
  if (!value->is_object()) return invalidArgument(std::string(what) + " is not a JSON object");
  return std::move(value->get_object());
}

bool requiredString(const json::object& o, std::string_view name, std::string* out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string() || v->get_string().empty()) return false;
  out->assign(jsonView(v->get_string()));
  return true;
}

bool requiredInteger(const json::object& o, std::string_view name, std::int64_t* out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return false;
  if (v->is_int64()) {
    *out = v->get_int64();
    return true;
  }
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    *out = static_cast<std::int64_t>(v->get_uint64());
    return true;
  }
  return false;
}

bool stringEquals(const json::object& o, std::string_view name, std::string_view expected) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() && jsonView(v->get_string()) == expected;
}

}  // namespace ls::auth
