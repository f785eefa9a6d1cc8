# The admin usage route's query and Accept header (parseUsageQuery) on
# arbitrary bytes: the first line is the Accept header, the rest the query
# string, decoded by http::Request as the server does. usage_query.cpp is
# compiled in directly; it needs control's usage report types. Seeds:
# corpus/api_usage_query/.
ls_fuzz_target(api_usage_query SOURCES api_usage_query.cpp ${PROJECT_SOURCE_DIR}/src/api/usage_query.cpp
               DEPS control http core)
target_link_libraries(api_usage_query PRIVATE ls_boost)
