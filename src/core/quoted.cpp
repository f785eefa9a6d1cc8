#include "core/quoted.hpp"

namespace ls {

std::string quoted(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out += '\'';
  out.append(value);
  out += '\'';
  return out;
}

}  // namespace ls
