# `cpack -G DEB` in a build dir makes erlab_<version>_<arch>.deb from the install rules
# (cmake/ErlabInstall.cmake), installed under /usr. tests/pkg/t_deb.sh builds it, installs it in a
# sandbox, runs the installed erlab and removes it again.
set(CPACK_PACKAGE_NAME erlab)
set(CPACK_PACKAGE_VENDOR "The erlab authors")
set(ERLAB_PACKAGE_CONTACT "erlab maintainers <maintainers@erlab.invalid>" CACHE STRING
  "The .deb's Maintainer field")
set(CPACK_PACKAGE_CONTACT "${ERLAB_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "erlab turns an Azure ExpressRoute circuit and its BGP peerings (Private, Public, Microsoft)\n\
into real kernel objects over netlink: network namespaces, veth or 802.1Q VLAN links, addresses,\n\
bandwidth limits, and BIRD as the Microsoft edge and the customer router. It speaks Azure's\n\
classic PowerShell cmdlets verbatim and reads INI lab files.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the shared libraries' packages (libnl-3-200, libnl-route-3-200, libmnl0, libiniparser1
# and libc6 on Debian 12), worked out by dpkg-shlibdeps from the binary itself, so the names and
# versions are those of the distribution it is built on; plus iproute2 (erlab exec, ip netns).
# Without dpkg-shlibdeps (dpkg-dev), Debian 12's names.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "iproute2")
find_program(ERLAB_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(ERLAB_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  string(PREPEND CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6, libnl-3-200, libnl-route-3-200, libmnl0, libiniparser1, ")
endif()
# BGP emulation ([bgp] msee = bird) needs BIRD 2; without it everything else works.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bird2")
include(CPack)
