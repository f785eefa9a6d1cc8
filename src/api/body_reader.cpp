#include "api/body_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <charconv>

#include "core/random.hpp"

namespace ls::api {

namespace {

std::string name(std::string_view field) { return std::string(field); }

bool isJsonContentType(std::string_view type) {
  const std::size_t semi = type.find(';');
  std::string_view base = type.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  std::string lower(base);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return lower == "application/json" || (lower.size() > 5 && lower.ends_with("+json"));
}

}  // namespace

Result<boost::json::object> parseJsonObject(const http::Request& request) {
  const std::string& text = request.body();
  if (text.empty()) return boost::json::object{};
  if (auto type = request.header("content-type"); type && !isJsonContentType(*type)) {
    return invalidArgument("Content-Type must be application/json");
  }
  boost::json::parse_options options;
  options.max_depth = 16;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec) return invalidArgument("Invalid JSON body: " + ec.message());
  if (!value.is_object()) return Status(Code::kInvalidArgument, "Request body must be a JSON object",
                                        {"request body must be a JSON object"});
  return std::move(value.as_object());
}

std::optional<std::string> Validator::string(const boost::json::object& body, std::string_view field, bool required,
                                             std::size_t maxLength) {
  const boost::json::value* v = body.if_contains(field);
  if (v == nullptr || v->is_null()) {
    if (required) {
      fail(name(field) + " should not be empty");
      fail(name(field) + " must be a string");
    }
    return std::nullopt;
  }
  if (!v->is_string()) {
    fail(name(field) + " must be a string");
    return std::nullopt;
  }
  const boost::json::string& s = v->get_string();
  if (s.empty()) {
    fail(name(field) + " should not be empty");
    return std::nullopt;
  }
  if (s.size() > maxLength) {
    fail(name(field) + " must be shorter than or equal to " + std::to_string(maxLength) + " characters");
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<std::string> Validator::uuid(const boost::json::object& body, std::string_view field, bool required) {
  const boost::json::value* v = body.if_contains(field);
  if ((v == nullptr || v->is_null()) && !required) return std::nullopt;
  if (v == nullptr || !v->is_string() || !isUuid(v->get_string())) {
    fail(name(field) + " must be a UUID");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::string> Validator::streamKey(const boost::json::object& body, std::string_view field,
                                                bool required) {
  const boost::json::value* v = body.if_contains(field);
  if ((v == nullptr || v->is_null()) && !required) return std::nullopt;
  if (v == nullptr || !v->is_string() || !isStreamKey(v->get_string())) {
    fail(name(field) + " must be a 32-character lowercase hexadecimal string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::int64_t> Validator::integer(const boost::json::object& body, std::string_view field, bool required,
                                               std::int64_t min, std::int64_t max) {
  const boost::json::value* v = body.if_contains(field);
  if ((v == nullptr || v->is_null()) && !required) return std::nullopt;
  std::optional<std::int64_t> n;
  if (v != nullptr && v->is_int64()) n = v->get_int64();
  if (v != nullptr && v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(v->get_uint64());
  }
  if (v != nullptr && v->is_double()) {
    const double d = v->get_double();
    // 3600.0 is an integer number; 3600.5 and 1e300 are not.
    if (d >= -9.0e15 && d <= 9.0e15 && static_cast<double>(static_cast<std::int64_t>(d)) == d) {
      n = static_cast<std::int64_t>(d);
    }
  }
  if (!n) {
    fail(name(field) + " must be an integer number");
    return std::nullopt;
  }
  if (*n < min) {
    fail(name(field) + " must not be less than " + std::to_string(min));
    return std::nullopt;
  }
  if (*n > max) {
    fail(name(field) + " must not be greater than " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> Validator::boolean(const boost::json::object& body, std::string_view field) {
  const boost::json::value* value = body.if_contains(field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    fail(std::string(field) + " must be a boolean value");
    return std::nullopt;
  }
  return value->as_bool();
}

void Validator::onlyFields(const boost::json::object& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : body) {
    bool known = false;
    for (std::string_view a : allowed) known = known || entry.key() == a;
    if (!known) fail("property " + std::string(entry.key()) + " should not exist");
  }
}

std::optional<std::int64_t> Validator::queryInteger(const http::Request& request, std::string_view field,
                                                    std::int64_t min, std::int64_t max) {
  const std::optional<std::string> text = request.query(field);
  if (!text) return std::nullopt;
  std::int64_t n = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) {
    fail(name(field) + " must be an integer number");
    return std::nullopt;
  }
  if (n < min) {
    fail(name(field) + " must not be less than " + std::to_string(min));
    return std::nullopt;
  }
  if (n > max) {
    fail(name(field) + " must not be greater than " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> Validator::queryUuid(const http::Request& request, std::string_view field) {
  std::optional<std::string> text = request.query(field);
  if (!text) return std::nullopt;
  if (!isUuid(*text)) {
    fail(name(field) + " must be a UUID");
    return std::nullopt;
  }
  return text;
}

Status Validator::status() const {
  if (problems_.empty()) return Status::ok();
  return {Code::kInvalidArgument, problems_.front(), problems_};
}

Status requireUuidParam(std::string_view value) {
  if (isUuid(value)) return Status::ok();
  return {Code::kInvalidArgument, "Validation failed (uuid is expected)"};
}

}  // namespace ls::api
