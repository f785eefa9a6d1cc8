# The RTMP server connection (handshake, chunk stream, commands, media) on
# arbitrary bytes. Seeds: corpus/rtmp_handshake_chunk/ (byte 0: bit 0 = the
# target prepends a valid C0/C1/C2 so the rest is chunk stream, bit 1 =
# refuse the publish instead of accepting it, bits 2-7 = feed piece size - 1,
# 0 meaning all at once). Regenerate with LS_WRITE_FUZZ_SEEDS (media_rtmp_test).
ls_fuzz_target(rtmp_handshake_chunk SOURCES rtmp_handshake_chunk.cpp DEPS media_rtmp core)
