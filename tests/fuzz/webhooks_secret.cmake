# whsec_ secrets and the signature checks a receiver runs (webhook-signature,
# ls-signature) on arbitrary bytes. Seeds: corpus/webhooks_secret/ (the first
# byte selects the entry point).
ls_fuzz_target(webhooks_secret SOURCES webhooks_secret.cpp DEPS webhooks auth core)
