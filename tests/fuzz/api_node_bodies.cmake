# The internal API bodies a remote media node sends (heartbeat, publish,
# publish-ended, usage) on arbitrary bytes. node_bodies.cpp is compiled in directly;
# it needs core, control's and ingest's headers, and Boost.JSON. Seeds:
# corpus/api_node_bodies/.
ls_fuzz_target(api_node_bodies SOURCES api_node_bodies.cpp ${PROJECT_SOURCE_DIR}/src/api/node_bodies.cpp
               DEPS core)
target_link_libraries(api_node_bodies PRIVATE ls_boost)
