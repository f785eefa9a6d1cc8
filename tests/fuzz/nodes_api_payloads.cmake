# The answers of external nodes' control APIs (ZLMediaKit getMediaList and
# close_streams, MediaMTX paths list / get and error bodies) on arbitrary
# bytes; the same input goes to every parser. The parsers are compiled in
# directly: they need only core, Boost.JSON and url_text, not libcurl.
# Seeds: corpus/nodes_api_payloads/ (the recorded fixtures, and broken ones).
ls_fuzz_target(nodes_api_payloads
  SOURCES nodes_api_payloads.cpp
          ${PROJECT_SOURCE_DIR}/src/nodes/node_json.cpp
          ${PROJECT_SOURCE_DIR}/src/nodes/zlm_payloads.cpp
          ${PROJECT_SOURCE_DIR}/src/nodes/mediamtx_payloads.cpp
          ${PROJECT_SOURCE_DIR}/src/http_client/url_text.cpp
  DEPS core)
target_link_libraries(nodes_api_payloads PRIVATE ls_boost)
