# LL-HLS delivery directives: the raw query string of a playlist request
# parsed, then judged against a random live position, and a delta update
# rendered for the skip it asked. Seeds: corpus/hls_ll_request/ (16 bytes of
# position, then the query string).
ls_fuzz_target(hls_ll_request SOURCES hls_ll_request.cpp DEPS media_hls core)
