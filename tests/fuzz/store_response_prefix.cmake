# The webhook delivery log's response prefix (store::cleanResponsePrefix) on
# arbitrary bytes, as a receiver may answer anything: the stored text is at
# most the cap, valid UTF-8 without NUL (PostgreSQL TEXT takes nothing else),
# and a valid short answer is kept as is. Seeds: corpus/store_response_prefix/.
ls_fuzz_target(store_response_prefix SOURCES store_response_prefix.cpp DEPS store core)
