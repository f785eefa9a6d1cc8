# Every dependency comes from Debian 12 packages (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(PkgConfig REQUIRED)

# Boost 1.81 (libboost1.81-dev, libboost-json1.81-dev, libboost-url1.81-dev).
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
find_package(spdlog REQUIRED)
# libcurl (libcurl4-openssl-dev): the outgoing HTTP client (http_client/).
find_package(CURL 7.85 REQUIRED)
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavcodec libavutil libswscale libswresample)

add_library(ls_boost INTERFACE)
target_link_libraries(ls_boost INTERFACE Boost::boost Boost::json Boost::url Threads::Threads)
# Asio and Beast are header-only; keep their heavy templates out of every TU but the ones that need them.
target_compile_definitions(ls_boost INTERFACE BOOST_ASIO_NO_DEPRECATED)
