# Durations and the retry schedule (webhooks.retry_schedule and every
# webhooks.* duration key) on arbitrary bytes. Seeds: corpus/webhooks_duration/.
ls_fuzz_target(webhooks_duration SOURCES webhooks_duration.cpp DEPS webhooks core)
