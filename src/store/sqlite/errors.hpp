// SQLite result codes -> ls::Status, in one place (the Store conventions in
// store/store.hpp): lock, read-only, open, I/O and disk-full failures are
// kUnavailable naming the cause; a unique clash is kConflict.
#pragma once

#include <string_view>

#include "core/status.hpp"

namespace ls::sqlite {

// `extendedCode` is an extended SQLite result code (the connection runs with
// extended codes on); `what` names the operation ("insert team"); `detail` is
// sqlite3_errmsg() of the connection, or empty.
Status statusFromSqlite(int extendedCode, std::string_view what, std::string_view detail);

// READONLY, FULL, IOERR and CANTOPEN (any extended form): the disk or the file
// failed, not the statement. SQLite may keep a handle in a state that fails
// after the disk recovered (a read-only open stays read-only), so a connection
// that saw one is closed rather than reused.
bool isStorageFault(int extendedCode);

}  // namespace ls::sqlite
