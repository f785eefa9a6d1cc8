# ls::fmp4 init segments and FragmentBuilder fed arbitrary configs and frames
# (lying NALU lengths, 1..4-byte length prefixes, odd AAC configs, any
# timestamps); every init segment and fragment must walk as a box tree whose
# sizes add up, with trun data covering the mdat exactly. Input layout: the
# one of ts_mux_input (ts_mux_input_format.hpp), with op 2 closing a fragment
# and op 3 a reset(); its seeds (corpus/fmp4_fragment/) are ts_mux_input's.
ls_fuzz_target(fmp4_fragment SOURCES fmp4_fragment.cpp DEPS media_fmp4 media_core core)
