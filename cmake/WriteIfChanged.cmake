# write_if_changed(PATH CONTENT): writes CONTENT to PATH unless PATH already holds exactly that,
# so a generated source that did not change does not make the build recompile it.
function(write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" previous)
    if(previous STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()
