# The bodies of the admin webhook routes (create, update, rotate-secret):
# parseJsonObject then each parser on arbitrary bytes. body_reader.cpp,
# webhook_bodies.cpp and the service's validators are compiled in directly.
# Seeds: corpus/api_webhook_bodies/.
ls_fuzz_target(api_webhook_bodies
               SOURCES api_webhook_bodies.cpp ${PROJECT_SOURCE_DIR}/src/api/body_reader.cpp
                       ${PROJECT_SOURCE_DIR}/src/api/webhook_bodies.cpp
               DEPS http core control)
target_link_libraries(api_webhook_bodies PRIVATE ls_boost)
