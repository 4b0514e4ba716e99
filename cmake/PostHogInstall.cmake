# Install rules and the CMake package (included by the top-level CMakeLists.txt).
#
#   <prefix>/include/PostHog/*.h                    public headers
#   <libdir>/libPostHogCore.so.<version>            the library (SOVERSION links beside it)
#   <libdir>/posthog-cpp/plugins/                   built-in plugins (posthog_add_plugin installs them);
#                                                   the client searches it by default, found from
#                                                   libPostHogCore's own location
#   <libdir>/cmake/PostHog/                         find_package(PostHog): PostHog::Core, posthog_add_plugin()
#   <libdir>/pkgconfig/posthog-cpp.pc               for builds without CMake
include(CMakePackageConfigHelpers)

set(POSTHOG_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/PostHog)

# Installed programs (posthog-send, the samples; targets defined after this file is included)
# find libPostHogCore relative to themselves, whatever --prefix was.
if(NOT DEFINED CMAKE_INSTALL_RPATH)
  set(CMAKE_INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
endif()

install(TARGETS PostHogCore EXPORT PostHogTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/PostHog DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES ${POSTHOG_GENERATED_INCLUDE}/PostHog/Version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/PostHog)
install(EXPORT PostHogTargets NAMESPACE PostHog:: DESTINATION ${POSTHOG_CMAKE_INSTALL_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/PostHogConfig.cmake.in
  ${PROJECT_BINARY_DIR}/PostHogConfig.cmake
  INSTALL_DESTINATION ${POSTHOG_CMAKE_INSTALL_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR POSTHOG_PLUGIN_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/PostHogConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/PostHogConfig.cmake
  ${PROJECT_BINARY_DIR}/PostHogConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/PostHogPlugin.cmake
  DESTINATION ${POSTHOG_CMAKE_INSTALL_DIR})

# pkg-config: relocatable (paths relative to the .pc file), so `cmake --install --prefix` anywhere works.
set(_pcdir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH POSTHOG_PC_PREFIX_FROM_PCDIR /_root/${_pcdir} /_root)
string(REGEX REPLACE "/$" "" POSTHOG_PC_PREFIX_FROM_PCDIR "${POSTHOG_PC_PREFIX_FROM_PCDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/posthog-cpp.pc.in ${PROJECT_BINARY_DIR}/posthog-cpp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/posthog-cpp.pc DESTINATION ${_pcdir})
