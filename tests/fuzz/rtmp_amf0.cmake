# AMF0 decoding (plus command and data message parsing) on arbitrary bytes;
# whatever decodes must re-encode to a fixed point. Seeds: corpus/rtmp_amf0/.
ls_fuzz_target(rtmp_amf0 SOURCES rtmp_amf0.cpp DEPS media_rtmp core)
