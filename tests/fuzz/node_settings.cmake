# The settings an operator gives an external media node (CLI flags, API
# bodies): hook address blocks and HLS path templates, on arbitrary bytes.
# Seeds: corpus/node_settings/.
ls_fuzz_target(node_settings SOURCES node_settings.cpp DEPS core control)
