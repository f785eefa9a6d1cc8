#include "app/cli_args.hpp"

namespace ls::app {

Result<CliArgs> CliArgs::parse(const std::vector<std::string>& args, std::initializer_list<OptionSpec> specs) {
  CliArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      if (!arg.empty() && arg[0] == '-' && arg != "-") return invalidArgument("unknown option '" + arg + "'");
      out.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inlineValue;
    if (const std::size_t eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) return invalidArgument("unknown option '--" + name + "' (see --help)");
    std::string value;
    if (spec->takesValue) {
      if (inlineValue) {
        value = *inlineValue;
      } else {
        if (i + 1 >= args.size()) return invalidArgument("option '--" + name + "' needs a value");
        value = args[++i];
      }
    } else if (inlineValue) {
      return invalidArgument("option '--" + name + "' takes no value");
    }
    auto& slot = out.values_[name];
    if (!slot.empty() && !spec->repeatable) return invalidArgument("option '--" + name + "' is given twice");
    slot.push_back(std::move(value));
  }
  return out;
}

std::optional<std::string> CliArgs::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> CliArgs::all(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace ls::app
