// The one definition of what a media server's base URLs and CDN list may be
// (SPEC §1): used by the media-server use cases (API, CLI) and by the
// config file's embedded-server settings, so all of them accept and refuse
// the same things with the same words.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace ls {

// `url` starts with one of `schemes` ("https://"), has something after it,
// and holds no space or control character.
bool isBaseUrl(std::string_view url, std::initializer_list<std::string_view> schemes);

// "https://cdn.example.com/" -> "https://cdn.example.com"
std::string withoutTrailingSlash(std::string_view url);

// Appends one readable problem per CDN fault: empty or long names, names
// used twice or "origin" (the origin's own source name), base URLs that are
// not http(s).
void appendCdnProblems(const std::vector<CdnEndpoint>& cdns, std::vector<std::string>& problems);

}  // namespace ls
