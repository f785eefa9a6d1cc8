# The bodies and cookies of /api/v1/auth/*: parseJsonObject, parseLoginBody,
# parseRefreshBody and cookieValue on arbitrary bytes (first byte: 0 body as
# application/json, 1 Cookie header). body_reader.cpp and auth_bodies.cpp are
# compiled in directly. Seeds: corpus/api_auth_bodies/.
ls_fuzz_target(api_auth_bodies
               SOURCES api_auth_bodies.cpp ${PROJECT_SOURCE_DIR}/src/api/body_reader.cpp
                       ${PROJECT_SOURCE_DIR}/src/api/auth_bodies.cpp
               DEPS http core)
target_link_libraries(api_auth_bodies PRIVATE ls_boost)
