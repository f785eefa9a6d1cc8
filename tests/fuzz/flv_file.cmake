# The FLV file reader (header, DataOffset, PreviousTagSize, tag headers) on
# arbitrary bytes, whole and in pieces, plus the tag parser on what it yields.
# Seeds: corpus/flv_file/, small real FLV files from ffmpeg (regenerate: see
# ts_mux_input.cmake).
ls_fuzz_target(flv_file SOURCES flv_file.cpp DEPS media_flv media_core core)
