// A small command-line reader: "--name value", "--name=value", boolean
// "--flag", repeatable options, and positional words. Unknown options and
// missing values are errors that name the option.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace ls::app {

struct OptionSpec {
  std::string_view name;  // without the leading "--"
  bool takesValue = true;
  bool repeatable = false;
};

class CliArgs {
 public:
  static Result<CliArgs> parse(const std::vector<std::string>& args, std::initializer_list<OptionSpec> specs);

  [[nodiscard]] bool has(std::string_view name) const { return values_.contains(std::string(name)); }
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
  [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

}  // namespace ls::app
