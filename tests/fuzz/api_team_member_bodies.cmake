# The bodies of the team, member and invitation routes: parseJsonObject, then
# parseTeamNameBody, parseMemberBody, parseRoleBody and parseAcceptBody on
# arbitrary bytes. body_reader.cpp and team_member_bodies.cpp are compiled in
# directly. Seeds: corpus/api_team_member_bodies/.
ls_fuzz_target(api_team_member_bodies
               SOURCES api_team_member_bodies.cpp ${PROJECT_SOURCE_DIR}/src/api/body_reader.cpp
                       ${PROJECT_SOURCE_DIR}/src/api/team_member_bodies.cpp
               DEPS http core)
target_link_libraries(api_team_member_bodies PRIVATE ls_boost)
