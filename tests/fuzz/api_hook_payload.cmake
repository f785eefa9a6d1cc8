# The media-server hook bodies (ZLMediaKit on_publish / on_stream_changed,
# MediaMTX auth and ready / not-ready) on arbitrary bytes; the same input goes
# to every parser. hook_payload.cpp is compiled in directly: it needs only core
# and Boost.JSON, not the whole api layer. Seeds: corpus/api_hook_payload/
# (the bodies as the servers send them, and broken ones).
ls_fuzz_target(api_hook_payload SOURCES api_hook_payload.cpp ${PROJECT_SOURCE_DIR}/src/api/hook_payload.cpp
               DEPS core)
target_link_libraries(api_hook_payload PRIVATE ls_boost)
