# The content-steering snapshot a media node reads from the API tier's
# heartbeat answer, and the steered master and manifest rendered from what
# parses, on arbitrary bytes. Seeds: corpus/ingest_steering_json/.
ls_fuzz_target(ingest_steering_json SOURCES ingest_steering_json.cpp DEPS core ingest media_hls)
target_link_libraries(ingest_steering_json PRIVATE ls_boost)
