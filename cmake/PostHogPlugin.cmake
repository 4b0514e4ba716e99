# posthog_add_plugin(<target> <sources...>)
#
# Builds a middleware plugin: a MODULE library lib<target>.so with hidden symbols (only the
# Poco manifest entry points and posthogMiddlewareAbiVersion are exported: Poco 1.11's
# SharedLibrary opens every library with RTLD_GLOBAL, so exported names of two plugins would
# resolve to each other), placed in the plugin directory the client searches by default
# (<libdir>/posthog-cpp/plugins), in the build tree and when installed. Linked with
# --no-undefined: a symbol the plugin needs but libPostHogCore does not export fails the link,
# not the dlopen.
# posthog_no_undefined(<target>)
#
# Links <target> (a shared library) with --no-undefined. Not in a clang sanitizer build
# (POSTHOG_SANITIZE with clang): clang links the sanitizer runtime into the executable only,
# so a shared library's references to it are resolved at load time by design.
function(posthog_no_undefined target)
  if(NOT (POSTHOG_SANITIZE AND CMAKE_CXX_COMPILER_ID MATCHES "Clang"))
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()

function(posthog_add_plugin target)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE PostHog::Core)
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  posthog_no_undefined(${target})
  if(DEFINED POSTHOG_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${POSTHOG_PLUGIN_OUTPUT_DIR})
  endif()
  if(DEFINED POSTHOG_PLUGIN_INSTALL_DIR)
    # Installed in <libdir>/posthog-cpp/plugins: libPostHogCore is two folders up.
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
    install(TARGETS ${target} LIBRARY DESTINATION ${POSTHOG_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
