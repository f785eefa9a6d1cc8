// HTTP request methods the router knows by name; everything else is kOther.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace ls::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

// The routable methods, in the order Allow headers list them.
inline constexpr std::array<Method, 7> kRoutableMethods{Method::kGet,   Method::kHead,   Method::kPost,   Method::kPut,
                                                        Method::kPatch, Method::kDelete, Method::kOptions};
inline constexpr std::size_t kRoutableMethodCount = kRoutableMethods.size();

// Methods are case-sensitive tokens (RFC 9110 §9.1): "get" is kOther.
Method methodFromName(std::string_view name) noexcept;
// "GET", "HEAD", ...; "" for kOther.
std::string_view methodName(Method method) noexcept;

}  // namespace ls::http
