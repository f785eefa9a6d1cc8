# Access-token verification (HS256, typ at+jwt) and its claims parser on
# arbitrary bytes (first byte: 0 verifyAccessToken with a fixed key, 1
# parseAccessTokenPayload). Seeds: corpus/auth_access_token/.
ls_fuzz_target(auth_access_token SOURCES auth_access_token.cpp DEPS auth core)
