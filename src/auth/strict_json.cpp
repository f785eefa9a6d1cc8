#include "auth/strict_json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ls::auth {

namespace json = boost::json;

namespace {

// A basic_parser handler that builds a json::value, checking each key against
// the object being built. Containers in progress live on a stack; a finished
// value is attached to its parent (or becomes the root).
class StrictBuilder {
 public:
  // Bounds on any single container or string; the byte limit of the whole
  // document is checked before parsing.
  static constexpr std::size_t max_array_size = 1024;        // NOLINT(readability-identifier-naming)
  static constexpr std::size_t max_object_size = 256;        // NOLINT(readability-identifier-naming)
  static constexpr std::size_t max_string_size = 64 * 1024;  // NOLINT(readability-identifier-naming)
  static constexpr std::size_t max_key_size = 256;           // NOLINT(readability-identifier-naming)

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_array_begin(json::error_code&) {
    stack_.push_back(Open{json::value(json::array_kind), {}});
    return true;
  }
  bool on_array_end(std::size_t, json::error_code& ec) { return closeContainer(ec); }
  bool on_object_begin(json::error_code&) {
    stack_.push_back(Open{json::value(json::object_kind), {}});
    return true;
  }
  bool on_object_end(std::size_t, json::error_code& ec) { return closeContainer(ec); }

  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    text_.append(s.data(), s.size());
    json::value v(json::string(text_.data(), text_.size()));
    text_.clear();
    return attach(std::move(v), ec);
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    text_.append(s.data(), s.size());
    Open& top = stack_.back();
    if (top.value.get_object().contains(text_)) {
      duplicateKey_ = true;
      ec = json::error::syntax;
      return false;
    }
    top.pendingKey = std::move(text_);
    text_.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code& ec) { return attach(json::value(i), ec); }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code& ec) { return attach(json::value(u), ec); }
  bool on_double(double d, json::string_view, json::error_code& ec) { return attach(json::value(d), ec); }
  bool on_bool(bool b, json::error_code& ec) { return attach(json::value(b), ec); }
  bool on_null(json::error_code& ec) { return attach(json::value(nullptr), ec); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  [[nodiscard]] bool duplicateKey() const { return duplicateKey_; }
  json::value takeRoot() { return std::move(root_); }

 private:
  struct Open {
    json::value value;       // an array or an object under construction
    std::string pendingKey;  // for objects: the key whose value comes next
  };

  bool attach(json::value v, json::error_code&) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return true;
    }
    Open& top = stack_.back();
    if (top.value.is_array()) {
      top.value.get_array().push_back(std::move(v));
    } else {
      top.value.get_object().emplace(top.pendingKey, std::move(v));
    }
    return true;
  }

  bool closeContainer(json::error_code& ec) {
    json::value done = std::move(stack_.back().value);
    stack_.pop_back();
    return attach(std::move(done), ec);
  }

  std::vector<Open> stack_;
  std::string text_;
  json::value root_;
  bool duplicateKey_ = false;
};

}  // namespace

Result<json::value> parseStrictJson(std::string_view text, const StrictJsonLimits& limits) {
  if (text.size() > limits.maxBytes) {
    return invalidArgument("JSON document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                           std::to_string(limits.maxBytes));
  }
  json::parse_options options;
  options.max_depth = limits.maxDepth;
  json::basic_parser<StrictBuilder> parser(options);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (parser.handler().duplicateKey()) return invalidArgument("JSON object has a duplicate key");
  if (ec) return invalidArgument("invalid JSON: " + ec.message());
  if (used != text.size()) return invalidArgument("invalid JSON: data after the document");
  return parser.handler().takeRoot();
}

}  // namespace ls::auth
