# One static library per layer. A layer names the layers below it in DEPS and
# links them PRIVATE-by-default semantics through its public interface only
# where its own headers expose their types. Nothing links upward: the layer
# order is written once here and checked at configure time.
set(LS_LAYER_ORDER
  core auth store http http_client webhooks ingest control nodes node_client media_core media_flv media_ts media_fmp4 media_rtmp media_hls media_abr
  events api media_server app)

set(LS_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wconversion
  -Wsign-conversion -Wdouble-promotion -Wimplicit-fallthrough)

function(ls_target_defaults target)
  target_compile_options(${target} PRIVATE ${LS_WARNINGS})
  if(LS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(LS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# ls_layer(NAME SOURCES ... DEPS layer... LIBS external...)
# DEPS are other layers; each must come earlier in LS_LAYER_ORDER.
function(ls_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS;PUBLIC_DEPS;LIBS;PUBLIC_LIBS" ${ARGN})
  list(FIND LS_LAYER_ORDER ${name} self_index)
  if(self_index EQUAL -1)
    message(FATAL_ERROR "layer ${name} is not listed in LS_LAYER_ORDER")
  endif()
  foreach(dep IN LISTS L_DEPS L_PUBLIC_DEPS)
    list(FIND LS_LAYER_ORDER ${dep} dep_index)
    if(dep_index EQUAL -1 OR NOT dep_index LESS self_index)
      message(FATAL_ERROR "layer ${name} may not depend on ${dep}: layers link only downward")
    endif()
  endforeach()
  add_library(ls_${name} STATIC ${L_SOURCES})
  add_library(ls::${name} ALIAS ls_${name})
  target_include_directories(ls_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  list(TRANSFORM L_DEPS PREPEND ls::)
  list(TRANSFORM L_PUBLIC_DEPS PREPEND ls::)
  target_link_libraries(ls_${name} PUBLIC ${L_PUBLIC_DEPS} ${L_PUBLIC_LIBS} PRIVATE ${L_DEPS} ${L_LIBS})
  # The links as the build really has them, for the test that holds
  # docs/architecture.md to them (ls_write_layer_links).
  set(direct ${L_DEPS} ${L_PUBLIC_DEPS})
  list(TRANSFORM direct REPLACE "^ls::" "")
  list(SORT direct)
  list(JOIN direct "," direct_text)
  set_property(GLOBAL APPEND PROPERTY LS_LAYER_LINKS "${name}:${direct_text}")
  ls_target_defaults(ls_${name})
endfunction()

# Writes <build>/layer_links.txt: one "layer:dep,dep" line per layer.
function(ls_write_layer_links)
  get_property(links GLOBAL PROPERTY LS_LAYER_LINKS)
  list(JOIN links "\n" text)
  file(WRITE ${PROJECT_BINARY_DIR}/layer_links.txt "${text}\n")
endfunction()
