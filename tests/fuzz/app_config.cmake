# The config file parser and every setting's value parser. config.cpp is
# compiled in directly: it needs only core and the webhooks duration parser,
# not the whole app layer.
ls_fuzz_target(app_config SOURCES app_config.cpp ${PROJECT_SOURCE_DIR}/src/app/config.cpp DEPS core webhooks)
