# One static library per layer of reconciler/, read from reconciler/layers.txt (the one table of
# allowed include directions, also checked by tests/unit/layering_test.cpp): idform_<layer> is
# built from reconciler/<layer>/*.cpp and linked PUBLIC to the libraries of the layers it may
# include, so a layer's users get what its headers need and nothing points the other way.
# Sets IDFORM_LAYERS (the reconciler/ layers in table order) in the caller's scope.
#   idform_layer_libraries(TABLE)
function(idform_layer_libraries table)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${table})
  file(STRINGS ${table} rows REGEX "^[a-z]")
  set(layers)
  foreach(row IN LISTS rows)
    string(REGEX REPLACE "[ \t]+" ";" fields "${row}")
    list(POP_FRONT fields layer folder)
    # Libraries only for the engine's layers; main (the executable), the providers and idp-sim
    # are built by the CMakeLists.txt that owns them.
    if(NOT folder MATCHES "^reconciler/" OR layer STREQUAL "main")
      continue()
    endif()
    file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp)
    if(NOT sources)
      message(FATAL_ERROR "${table}: layer ${layer} has no sources in ${folder}")
    endif()
    add_library(idform_${layer} STATIC ${sources})
    target_include_directories(idform_${layer} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(idform_${layer} PUBLIC nlohmann_json::nlohmann_json Threads::Threads
                          PRIVATE idform_warnings)
    foreach(dependency IN LISTS fields)
      target_link_libraries(idform_${layer} PUBLIC idform_${dependency})
    endforeach()
    if(IDFORM_UNITY_BUILD)
      set_target_properties(idform_${layer} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
    list(APPEND layers ${layer})
  endforeach()
  # A folder of reconciler/ that the table does not name would be built into nothing.
  file(GLOB folders LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/reconciler/*)
  foreach(folder IN LISTS folders)
    get_filename_component(name ${folder} NAME)
    if(IS_DIRECTORY ${folder} AND NOT name IN_LIST layers AND NOT name STREQUAL "main")
      message(FATAL_ERROR "reconciler/${name} is not a layer in ${table}: add a row saying what it may include")
    endif()
  endforeach()
  set(IDFORM_LAYERS ${layers} PARENT_SCOPE)
endfunction()
