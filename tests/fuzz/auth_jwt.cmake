# Push-token verification, JWKS parsing and the strict JSON underneath them,
# on arbitrary bytes. Seeds: corpus/auth_jwt/ (first byte selects the entry point).
ls_fuzz_target(auth_jwt SOURCES auth_jwt.cpp DEPS auth core)
