// 'value', for messages that quote what a user wrote.
#pragma once

#include <string>
#include <string_view>

namespace ls {

// Built by appending: "'" + std::string(value) makes GCC 12 at -O3 report a
// bogus -Wrestrict inside the one-character insert (GCC bug 105329), which
// breaks Release builds with LS_WERROR=ON.
std::string quoted(std::string_view value);

}  // namespace ls
