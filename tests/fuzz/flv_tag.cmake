# FLV audio/video tag bodies, AVC sequence headers, H.264 SPS and AAC
# AudioSpecificConfig on arbitrary bytes (the same input goes to every
# parser). Seeds: corpus/flv_tag/, real tag bodies, SPS and ASC from ffmpeg
# and x264 (regenerate: see ts_mux_input.cmake).
ls_fuzz_target(flv_tag SOURCES flv_tag.cpp DEPS media_flv media_core core)
