# The HLS cut policy and playlist rendering on arbitrary frame-event sequences
# (keyframe flags, timestamps with jumps both ways, reconnects). Seeds:
# corpus/hls_segmenter/ (byte 0 options, byte 1 window size, then 4-byte events).
ls_fuzz_target(hls_segmenter SOURCES hls_segmenter.cpp DEPS media_hls core)
