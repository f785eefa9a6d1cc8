# The bodies of /api/v1/admin/* (projects, livestreams, media servers, users,
# signing keys, media nodes):
# parseJsonObject then every admin body parser on arbitrary bytes.
# body_reader.cpp and admin_bodies.cpp are compiled in directly. Seeds:
# corpus/api_admin_bodies/.
ls_fuzz_target(api_admin_bodies
               SOURCES api_admin_bodies.cpp ${PROJECT_SOURCE_DIR}/src/api/body_reader.cpp
                       ${PROJECT_SOURCE_DIR}/src/api/admin_bodies.cpp
               DEPS http core control)
target_link_libraries(api_admin_bodies PRIVATE ls_boost)
