# `erlab serve` (src/arm): an Azure Resource Manager endpoint over GNU libmicrohttpd with GnuTLS,
# JSON with jansson (docs/arm.md). It is a program of its own, erlab-serve (src/cli/cmd_serve.c,
# installed to libexec/erlab): erlab's `serve` (src/cli/serve_exec.c, in the CLI library) runs its
# command line there, so that no other command loads these libraries (cli/serve.h).
# Included after the erlab and erlab_cli targets.
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(GNUTLS REQUIRED IMPORTED_TARGET gnutls)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
add_library(erlab_arm STATIC
  ${PROJECT_SOURCE_DIR}/src/arm/server.c
  ${PROJECT_SOURCE_DIR}/src/arm/routes.c
  ${PROJECT_SOURCE_DIR}/src/arm/files.c
  ${PROJECT_SOURCE_DIR}/src/arm/certs.c
  ${PROJECT_SOURCE_DIR}/src/arm/identity.c
  ${PROJECT_SOURCE_DIR}/src/arm/bind.c
  ${PROJECT_SOURCE_DIR}/src/arm/groups.c
  ${PROJECT_SOURCE_DIR}/src/arm/circuits.c
  ${PROJECT_SOURCE_DIR}/src/arm/peerings.c
  ${PROJECT_SOURCE_DIR}/src/arm/operations.c
  ${PROJECT_SOURCE_DIR}/src/arm/diagnostics.c
)
target_include_directories(erlab_arm PUBLIC ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(erlab_arm PUBLIC erlab_engine PkgConfig::MHD PkgConfig::GNUTLS PkgConfig::JANSSON)
include(GNUInstallDirs)
add_executable(erlab-serve ${PROJECT_SOURCE_DIR}/src/cli/erlab_serve.c ${PROJECT_SOURCE_DIR}/src/cli/cmd_serve.c)
target_link_libraries(erlab-serve PRIVATE erlab_cli erlab_arm)
# Where erlab looks for it when it is not beside erlab itself (a build tree): relative to erlab's
# own directory (the package installs under /usr whatever the prefix configured), then absolute.
file(RELATIVE_PATH ERLAB_SERVE_RELPATH "${CMAKE_INSTALL_FULL_BINDIR}" "${CMAKE_INSTALL_FULL_LIBEXECDIR}/erlab/erlab-serve")
target_compile_definitions(erlab_cli PRIVATE
  ERLAB_SERVE_RELPATH="${ERLAB_SERVE_RELPATH}"
  ERLAB_SERVE_PATH="${CMAKE_INSTALL_FULL_LIBEXECDIR}/erlab/erlab-serve")
# Building erlab builds its server too (the arm tier runs `erlab serve` from the build tree).
add_dependencies(erlab erlab-serve)
install(TARGETS erlab-serve RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/erlab)
