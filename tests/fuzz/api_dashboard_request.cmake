# The dashboard routes on arbitrary request paths and If-None-Match headers,
# and the origin extraction behind its CSP on arbitrary URLs (a media
# server's HLS and CDN bases). Links the api layer for the embedded bundle.
# Seeds: corpus/api_dashboard_request/ (path, newline, If-None-Match).
ls_fuzz_target(api_dashboard_request SOURCES api_dashboard_request.cpp DEPS api http core)
