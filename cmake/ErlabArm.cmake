# `erlab serve` (src/arm): an Azure Resource Manager endpoint over GNU libmicrohttpd with GnuTLS,
# JSON with jansson (docs/arm.md); the verb is src/cli/cmd_serve.c, part of the CLI library (its
# verb table names cmd_serve). Included after the erlab_cli target.
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
target_sources(erlab_cli PRIVATE ${PROJECT_SOURCE_DIR}/src/cli/cmd_serve.c)
target_link_libraries(erlab_cli PUBLIC erlab_arm)
