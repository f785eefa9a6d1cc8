# Partner API JSON bodies: parseJsonObject and the body parsers of the
# livestream create, update and generate-push-token endpoints, on arbitrary
# bytes sent as application/json. body_reader.cpp and livestream_bodies.cpp
# are compiled in directly: they need only http, core and Boost.JSON, not the
# whole api layer. Seeds: corpus/api_json_body/ (request bodies, valid and broken).
ls_fuzz_target(api_json_body
               SOURCES api_json_body.cpp ${PROJECT_SOURCE_DIR}/src/api/body_reader.cpp
                       ${PROJECT_SOURCE_DIR}/src/api/livestream_bodies.cpp
               DEPS http core)
target_link_libraries(api_json_body PRIVATE ls_boost)
