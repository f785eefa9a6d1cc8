# ls::ts::Muxer fed arbitrary video/audio configs, AVCC frames (lengths that
# lie, zero-length NALUs, odd length-prefix sizes), ADTS-incompatible audio
# configs and timestamps; checks packet framing and that refused frames write
# nothing. Input layout: ts_mux_input_format.hpp. Seeds: corpus/ts_mux_input/,
# built from a real ffmpeg stream (regenerate: LS_WRITE_FUZZ_SEEDS=<repo>/tests/fuzz/corpus
# media_ts_test --gtest_filter=FuzzSeeds.*).
ls_fuzz_target(ts_mux_input SOURCES ts_mux_input.cpp DEPS media_ts media_core core)
