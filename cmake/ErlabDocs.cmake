# erlab(8), erlab.ini(5) and the bash completion (docs/ARCHITECTURE.md, "Help"), generated at build
# time by the built erlab from the tables its parsers use (`erlab --gen-man erlab.8`, `--gen-man
# erlab.ini.5`, `--gen-completion bash`), so they cannot drift from it. The generator refuses, and
# the build fails, when a verb, an option, a field, a cmdlet or a parameter has no help text.
# Into build/man/ and build/completion/erlab, installed by erlab_install_man() and
# erlab_install_bash_completion() (cmake/ErlabInstall.cmake).
#
# Run with -P (ERLAB, WHAT, OUT set) it is the step that makes one file: the output goes to a
# temporary file renamed into place, so a failed run leaves no half page for the next build.
if(CMAKE_SCRIPT_MODE_FILE)
  string(REPLACE " " ";" what "${WHAT}")
  execute_process(COMMAND "${ERLAB}" ${what} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    file(REMOVE "${OUT}.tmp")
    message(FATAL_ERROR "erlab ${WHAT} failed (${rc})")
  endif()
  file(RENAME "${OUT}.tmp" "${OUT}")
  return()
endif()

# A cross build's erlab cannot run here: turn this off (the package then has no man pages).
option(ERLAB_DOCS "Generate and install the man pages and the bash completion" ON)
if(NOT ERLAB_DOCS)
  return()
endif()

set(ERLAB_MAN_DIR "${CMAKE_BINARY_DIR}/man")
set(ERLAB_COMPLETION "${CMAKE_BINARY_DIR}/completion/erlab")
set(erlab_docs_outputs)
foreach(doc "erlab.8|--gen-man erlab.8" "erlab.ini.5|--gen-man erlab.ini.5" "completion|--gen-completion bash")
  string(REPLACE "|" ";" doc "${doc}")
  list(GET doc 0 name)
  list(GET doc 1 what)
  if(name STREQUAL "completion")
    set(out "${ERLAB_COMPLETION}")
  else()
    set(out "${ERLAB_MAN_DIR}/${name}")
  endif()
  get_filename_component(dir "${out}" DIRECTORY)
  add_custom_command(OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND "${CMAKE_COMMAND}" "-DERLAB=$<TARGET_FILE:erlab>" "-DWHAT=${what}" "-DOUT=${out}"
      -P "${CMAKE_CURRENT_LIST_FILE}"
    DEPENDS erlab "${CMAKE_CURRENT_LIST_FILE}"
    COMMENT "Generating ${out}"
    VERBATIM)
  list(APPEND erlab_docs_outputs "${out}")
endforeach()
add_custom_target(erlab_docs ALL DEPENDS ${erlab_docs_outputs})

erlab_install_man("${ERLAB_MAN_DIR}/erlab.8")
erlab_install_man("${ERLAB_MAN_DIR}/erlab.ini.5")
erlab_install_bash_completion("${ERLAB_COMPLETION}")
