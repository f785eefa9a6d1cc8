// PostgreSQL outcomes -> ls::Status, in one place (the Store conventions in
// store/store.hpp): an unreachable server, a statement timeout or a
// serialization failure that kept recurring are kUnavailable; a unique clash
// is kConflict; a missing referenced row is kNotFound.
#pragma once

#include <string_view>

#include "core/status.hpp"

namespace ls::postgres {

// `sqlstate` is the five-character SQLSTATE of the error ("" when libpq had
// none, which means the connection itself failed); `what` names the
// operation ("insert team"); `detail` is the server's or libpq's message.
Status statusFromSqlstate(std::string_view sqlstate, std::string_view what, std::string_view detail);

// Class 08 (connection exception), 57P01..57P03 (the server shut down or is
// starting), or no SQLSTATE at all: the connection is gone and must not be
// lent again.
bool isConnectionLost(std::string_view sqlstate);

// 40001 serialization_failure, 40P01 deadlock_detected: the transaction lost
// a race and may simply run again.
bool isRetryable(std::string_view sqlstate);

// The database a URL or conninfo string names, without any password or
// userinfo, for messages: "postgres://u:pw@db:5432/ls" -> "postgres://db:5432/ls".
std::string redactedTarget(std::string_view url);

}  // namespace ls::postgres
