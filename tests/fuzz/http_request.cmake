# HTTP/1.1 request parsing with the server's limits, pipelining and the
# unconsumed-tail contract, then routing and response-head serialization.
# Seeds: corpus/http_request/ (byte 0 = read size - 1, then the raw wire bytes).
ls_fuzz_target(http_request SOURCES http_request.cpp DEPS http core)
