# The libFuzzer targets, one tests/fuzz/NAME_fuzz.cpp each (scripts/fuzz.sh runs them), and the
# replay of their kept corpus in the normal test build.
set(IDFORM_FUZZ_TARGETS yaml_loader project_file plan_file sandbox http_headers vendor_pages)

# Compiles every target's source into a test executable with its entry point renamed
# idform_fuzz_NAME, for tests/unit/fuzz_corpus_test.cpp: an input that once crashed a target stays
# a test in every build, gcc's included, without clang or libFuzzer.
function(idform_fuzz_replay_sources target)
  foreach(name IN LISTS IDFORM_FUZZ_TARGETS)
    set(source ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${name}_fuzz.cpp)
    target_sources(${target} PRIVATE ${source})
    set_source_files_properties(${source} PROPERTIES COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=idform_fuzz_${name}
                                SKIP_UNITY_BUILD_INCLUSION ON)
  endforeach()
endfunction()
