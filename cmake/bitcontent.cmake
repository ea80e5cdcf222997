# Helpers shared by every CMakeLists.txt in the tree: one way to declare a library, a
# binary and a test, so that warnings and include paths are the same everywhere.
include(Catch)

set(BITCONTENT_WARNINGS -Wall -Wextra -Wpedantic -Wno-unused-parameter)

# bitcontent_library(NAME SOURCES ... DEPS ...): a static library bitcontent_NAME, also
# reachable as bitcontent::NAME, whose headers are included as "libs/NAME/x.h".
function(bitcontent_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(bitcontent_${name} STATIC ${ARG_SOURCES})
  add_library(bitcontent::${name} ALIAS bitcontent_${name})
  target_include_directories(bitcontent_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(bitcontent_${name} PRIVATE ${BITCONTENT_WARNINGS})
  target_link_libraries(bitcontent_${name} PUBLIC ${ARG_DEPS})
endfunction()

# bitcontent_binary(NAME SOURCES ... DEPS ...): an executable named NAME.
function(bitcontent_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${BITCONTENT_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# bitcontent_test(NAME SOURCES ... DEPS ... [LABELS ...]): a Catch2 test binary whose
# test cases ctest discovers one by one.
function(bitcontent_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${BITCONTENT_WARNINGS})
  target_link_libraries(${name} PRIVATE bitcontent_catch_main ${ARG_DEPS})
  # --warn NoTests: a test name that matches nothing fails instead of passing empty.
  catch_discover_tests(${name} EXTRA_ARGS --warn NoTests PROPERTIES LABELS "${ARG_LABELS}"
                       WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endfunction()

# bitcontent_records(NAME PROTO path/relative/to/root.proto): a library bitcontent_NAME
# (bitcontent::NAME) of a service's or library's internal storage records, generated
# into the build tree. Internal records are not part of the public contracts in proto/.
function(bitcontent_records name)
  cmake_parse_arguments(ARG "" "PROTO" "" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/generated)
  string(REGEX REPLACE "\\.proto$" "" stem ${ARG_PROTO})
  set(sources ${out}/${stem}.pb.cc ${out}/${stem}.pb.h)
  add_custom_command(
    OUTPUT ${sources}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
    COMMAND protobuf::protoc --proto_path=${PROJECT_SOURCE_DIR}
            --proto_path=${PROJECT_SOURCE_DIR}/proto --cpp_out=${out} ${ARG_PROTO}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    DEPENDS ${PROJECT_SOURCE_DIR}/${ARG_PROTO}
    COMMENT "protoc ${ARG_PROTO}"
    VERBATIM)
  add_library(bitcontent_${name} STATIC ${sources})
  add_library(bitcontent::${name} ALIAS bitcontent_${name})
  # Generated code is not ours to lint; keep its warnings out of our clean build.
  target_include_directories(bitcontent_${name} SYSTEM PUBLIC ${out})
  target_link_libraries(bitcontent_${name} PUBLIC bitcontent::proto)
endfunction()
