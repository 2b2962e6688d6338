# Installation and Debian packages.
#   cmake --install build --component idform   idform, its shell completions and man page
#   cmake --install build --component sim      idp-sim and its man page (when built)
#   cd build && cpack -G DEB                   idform_<version>_<arch>.deb, idp-sim_<version>_<arch>.deb
# Debian dependencies are worked out by dpkg-shlibdeps from the libraries the executables link.
include(GNUInstallDirs)

install(TARGETS idform RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT idform)
install(FILES ${PROJECT_SOURCE_DIR}/scripts/completions/idform.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME idform COMPONENT idform)
install(FILES ${PROJECT_SOURCE_DIR}/scripts/completions/_idform
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT idform)

# Man pages from --help, generated once the executables are built.
function(idform_man_page target summary commands)
  set(page ${CMAKE_CURRENT_BINARY_DIR}/man/${target}.1)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${target}> -DNAME=${target} "-DSUMMARY=${summary}"
            "-DCOMMANDS=${commands}" -DVERSION=${PROJECT_VERSION} -DOUTPUT=${page}
            -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    DEPENDS ${target} ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    COMMENT "Writing the ${target}(1) man page from --help" VERBATIM)
  add_custom_target(${target}_man ALL DEPENDS ${page})
  set(${target}_MAN_PAGE ${page} PARENT_SCOPE)
endfunction()

idform_man_page(idform "identity-provider configuration as code" "validate,plan,apply,drift,import,show,version")
install(FILES ${idform_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT idform)
set(IDFORM_PACKAGED_COMPONENTS idform)
if(TARGET idp-sim)
  idform_man_page(idp-sim "local emulator of the Microsoft Graph and Okta management APIs" "")
  install(FILES ${idp-sim_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT sim)
  list(APPEND IDFORM_PACKAGED_COMPONENTS sim)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME idform)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "idform maintainers <idform@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Identity-provider configuration as code")
set(CPACK_COMPONENTS_ALL ${IDFORM_PACKAGED_COMPONENTS})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_IDFORM_PACKAGE_NAME idform)
set(CPACK_DEBIAN_IDFORM_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_IDFORM_PACKAGE_RECOMMENDS "ca-certificates, git")
set(CPACK_COMPONENT_IDFORM_DESCRIPTION
    "Identity-provider configuration as code\n Groups, SSO applications, conditional access policies and named locations\n as YAML in git: plan, apply and drift against Microsoft Entra ID, Okta or\n an offline sandbox.")
set(CPACK_DEBIAN_SIM_PACKAGE_NAME idp-sim)
set(CPACK_DEBIAN_SIM_PACKAGE_SECTION devel)
set(CPACK_COMPONENT_SIM_DESCRIPTION
    "Local emulator of the Microsoft Graph and Okta management APIs\n Serves the vendors' paths, payloads, paging, throttling and faults on loopback,\n for testing identity tooling without a tenant.")
include(CPack)
