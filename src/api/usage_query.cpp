#include "api/usage_query.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <optional>

namespace ls::api {

namespace {

std::string quoted(std::string_view s) {
  return boost::json::serialize(boost::json::string(s));
}

bool acceptsCsv(std::string_view accept) {
  // A media range list; "text/csv" anywhere in it (parameters and q-values aside).
  std::string lower(accept);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return lower.find("text/csv") != std::string::npos;
}

}  // namespace

Result<UsageQuery> parseUsageQuery(const std::vector<std::pair<std::string, std::string>>& params,
                                   std::string_view accept) {
  std::vector<std::string> problems;
  const std::string* from = nullptr;
  const std::string* to = nullptr;
  const std::string* granularity = nullptr;
  const std::string* format = nullptr;
  for (const auto& [name, value] : params) {
    const std::string** slot = name == "from"          ? &from
                               : name == "to"          ? &to
                               : name == "granularity" ? &granularity
                               : name == "format"      ? &format
                                                       : nullptr;
    if (slot == nullptr) {
      problems.push_back("query parameter " + quoted(name.substr(0, 64)) + " should not exist");
    } else if (*slot != nullptr) {
      problems.push_back(name + " must be given once");
    } else {
      *slot = &value;
    }
  }
  UsageQuery q;
  const auto readTime = [&](const std::string* value, const char* name, UnixMillis& out) {
    if (value == nullptr) {
      problems.push_back(std::string(name) + " is required (ISO-8601, e.g. 2026-12-01T00:00:00Z)");
      return false;
    }
    std::optional<UnixMillis> t = parseIso8601(*value);
    if (!t) {
      problems.push_back(std::string(name) + " must be an ISO-8601 UTC time, e.g. 2026-12-01T00:00:00Z");
      return false;
    }
    out = *t;
    return true;
  };
  const bool haveFrom = readTime(from, "from", q.from);
  const bool haveTo = readTime(to, "to", q.to);
  if (haveFrom && haveTo && q.to <= q.from) problems.push_back("to must be after from");
  if (granularity != nullptr && !control::parseUsageGranularity(*granularity, q.granularity)) {
    problems.push_back("granularity must be one of: hour, day");
  }
  if (format != nullptr) {
    if (*format == "csv") {
      q.csv = true;
    } else if (*format != "json") {
      problems.push_back("format must be one of: json, csv");
    }
  } else {
    q.csv = acceptsCsv(accept);
  }
  if (!problems.empty()) {
    std::string first = problems.front();
    return Status(Code::kInvalidArgument, std::move(first), std::move(problems));
  }
  return q;
}

std::string usageReportJson(const control::UsageReport& report) {
  std::string out = "{\"data\":[";
  bool firstBucket = true;
  for (const control::UsageBucket& b : report.buckets) {
    if (!firstBucket) out += ',';
    firstBucket = false;
    out += "{\"start\":" + quoted(formatIso8601(b.start)) + ",\"end\":" + quoted(formatIso8601(b.end)) +
           ",\"ingestSeconds\":" + control::formatSeconds(b.ingestMs) +
           ",\"transcodeSeconds\":" + control::formatSeconds(b.transcodeMs) +
           ",\"egressBytes\":" + std::to_string(b.egressBytes) +
           ",\"egressRequests\":" + std::to_string(b.egressRequests) + ",\"streams\":[";
    bool first = true;
    for (const auto& [id, ms] : b.streams) {
      if (!first) out += ',';
      first = false;
      out += "{\"livestreamId\":" + quoted(id) + ",\"ingestSeconds\":" + control::formatSeconds(ms) + "}";
    }
    out += "],\"transcodeByHeight\":{";
    first = true;
    for (const auto& [height, ms] : b.transcodeByHeight) {
      if (!first) out += ',';
      first = false;
      out += quoted(height) + ":" + control::formatSeconds(ms);
    }
    out += "}}";
  }
  out += "],\"meta\":{\"from\":" + quoted(formatIso8601(report.from)) + ",\"to\":" + quoted(formatIso8601(report.to)) +
         ",\"granularity\":" + quoted(control::toString(report.granularity)) + "}}";
  return out;
}

}  // namespace ls::api
