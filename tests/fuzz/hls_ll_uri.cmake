# LL-HLS media URIs of the origin (init, segment, part) from request paths.
# Seeds: corpus/hls_ll_uri/ (one URI per file).
ls_fuzz_target(hls_ll_uri SOURCES hls_ll_uri.cpp DEPS media_hls core)
