# Writes a man page (roff) from a program's --help output, at build time, so the page always says
# what the program says. Run with cmake -P:
#   -DPROGRAM=<executable> -DNAME=<idform> -DSUMMARY=<one line> -DOUTPUT=<file.1>
#   [-DCOMMANDS=<a,b,c>]  subcommands whose `PROGRAM COMMAND --help` becomes a section each
#   [-DVERSION=<0.1.0>]
function(roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  # A line starting with . or ' would be read as a request.
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(help_of args out)
  execute_process(COMMAND "${PROGRAM}" ${args} OUTPUT_VARIABLE text RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${args} exited with ${status}")
  endif()
  roff_escape("${text}" text)
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(TOUPPER "${NAME}" upper)
help_of("--help" overview)
set(page ".TH ${upper} 1 \"\" \"${NAME} ${VERSION}\" \"User Commands\"
.SH NAME
${NAME} \\- ${SUMMARY}
.SH DESCRIPTION
.nf
${overview}.fi
")
string(REPLACE "," ";" COMMANDS "${COMMANDS}")
foreach(command IN LISTS COMMANDS)
  string(TOUPPER "${command}" title)
  help_of("${command};--help" text)
  string(APPEND page ".SH ${upper} ${title}\n.nf\n${text}.fi\n")
endforeach()
string(APPEND page ".SH SEE ALSO\nThe README and docs/ of the idform source repository.\n")
file(WRITE "${OUTPUT}" "${page}")
