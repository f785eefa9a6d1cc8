// Validation of JSON request bodies and query strings, collecting one
// human-readable message per problem in the words partners already know
// from the hosted service ("name must be a string", "property foo should not
// exist"), so the 400 lists everything wrong at once.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "http/request.hpp"

namespace ls::api {

// Parses the body as a JSON object. An empty body is an empty object. Not
// JSON, not an object, too deep, or a non-JSON Content-Type: InvalidArgument.
Result<boost::json::object> parseJsonObject(const http::Request& request);

class Validator {
 public:
  // Fields of a JSON body.
  std::optional<std::string> string(const boost::json::object& body, std::string_view field, bool required,
                                    std::size_t maxLength = 255);
  std::optional<std::string> uuid(const boost::json::object& body, std::string_view field, bool required);
  std::optional<std::string> streamKey(const boost::json::object& body, std::string_view field, bool required);
  std::optional<std::int64_t> integer(const boost::json::object& body, std::string_view field, bool required,
                                      std::int64_t min, std::int64_t max);
  // nullopt when absent; a problem when not a boolean.
  std::optional<bool> boolean(const boost::json::object& body, std::string_view field);
  // "property x should not exist" for every field not in allowed.
  void onlyFields(const boost::json::object& body, std::initializer_list<std::string_view> allowed);

  // Query parameters (always strings on the wire).
  std::optional<std::int64_t> queryInteger(const http::Request& request, std::string_view name, std::int64_t min,
                                           std::int64_t max);
  std::optional<std::string> queryUuid(const http::Request& request, std::string_view name);

  void fail(std::string message) { problems_.push_back(std::move(message)); }
  [[nodiscard]] bool ok() const { return problems_.empty(); }
  // InvalidArgument carrying every problem, or OK.
  [[nodiscard]] Status status() const;

 private:
  std::vector<std::string> problems_;
};

// NestJS's ParseUUIDPipe answer for a path parameter that is not a UUID.
Status requireUuidParam(std::string_view value);

}  // namespace ls::api
