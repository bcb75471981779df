# What `cmake --install` and the .deb put where (GNUInstallDirs; docs/DECISIONS.md, "Install"):
#   bin/erlab                                  the program (bin, not sbin: plain users run it too,
#                                              in `erlab shell`, and sbin is not on their PATH)
#   libexec/erlab/erlab-serve                  `erlab serve`'s program (cmake/ErlabArm.cmake)
#   share/erlab/labs/*.ini                     the shipped labs
#   share/doc/erlab/{README.md,LICENSE,docs/}  the documentation, README's links intact
#   share/man/man<N>/                          man pages        (erlab_install_man)
#   share/bash-completion/completions/erlab    bash completion  (erlab_install_bash_completion)
include(GNUInstallDirs)

set(ERLAB_LABS_DIR "${CMAKE_INSTALL_DATADIR}/erlab/labs" CACHE STRING
  "Where the shipped labs are installed, relative to the prefix")
set(ERLAB_BASH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" CACHE STRING
  "Where the bash completion script is installed, relative to the prefix")

# erlab_install_man(FILE): a man page, into the section its name ends in (erlab.8 -> man8).
# For generated pages, FILE is the path in the build tree.
function(erlab_install_man file)
  get_filename_component(name "${file}" NAME)
  if(NOT name MATCHES "\\.([1-9])$")
    message(FATAL_ERROR "erlab_install_man: ${file}: the name must end in the section (.1-.9)")
  endif()
  install(FILES "${file}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man${CMAKE_MATCH_1}")
endfunction()

# erlab_install_bash_completion(FILE): the bash completion script, installed as `erlab`
# (bash-completion loads completions/<command> when <command> is first completed).
function(erlab_install_bash_completion file)
  install(FILES "${file}" DESTINATION "${ERLAB_BASH_COMPLETION_DIR}" RENAME erlab)
endfunction()

install(TARGETS erlab RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
file(GLOB ERLAB_LAB_FILES "${PROJECT_SOURCE_DIR}/labs/*.ini")
install(FILES ${ERLAB_LAB_FILES} DESTINATION "${ERLAB_LABS_DIR}")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/LICENSE"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs"
  FILES_MATCHING PATTERN "*.md")

# The man pages and the bash completion are generated at build time and installed with the
# functions above by cmake/ErlabDocs.cmake.
