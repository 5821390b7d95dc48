# sdk_install_consumer (ctest): installs the coze_sdk component of BUILD_DIR into a fresh prefix,
# checks that nothing installed points back into the source or build tree, then configures,
# builds and runs the consumer project (CONSUMER_DIR) with find_package(coze) on that prefix.
#   cmake -DBUILD_DIR=… -DWORK_DIR=… -DCONSUMER_DIR=… -DSOURCE_DIR=… -DGENERATOR=…
#         -DCXX_COMPILER=… -DBUILD_TYPE=… [-DSANITIZE=ON] -P install_consumer.cmake
foreach(var BUILD_DIR WORK_DIR CONSUMER_DIR SOURCE_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_consumer.cmake: ${var} is not set")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(RUN_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(config_args)
if(BUILD_TYPE)
  list(APPEND config_args --config ${BUILD_TYPE})
endif()
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    --component coze_sdk ${config_args})

# Self-contained: no installed file may name the source or build tree.
file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
foreach(f IN LISTS installed)
  if(f MATCHES "\\.(cmake|hpp)$")
    file(READ ${prefix}/${f} text)
    foreach(tree ${SOURCE_DIR} ${BUILD_DIR})
      string(FIND "${text}" "${tree}" at)
      if(NOT at EQUAL -1)
        message(FATAL_ERROR "installed ${f} refers to ${tree}")
      endif()
    endforeach()
  endif()
endforeach()
foreach(required include/coze/client.hpp include/coze/oauth.hpp include/coze/wire/openapi.hpp)
  if(NOT EXISTS ${prefix}/${required})
    message(FATAL_ERROR "not installed: ${required}")
  endif()
endforeach()

set(flags)
if(SANITIZE)
  set(flags "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
            "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
run("configuring the consumer" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    -DCMAKE_PREFIX_PATH=${prefix} ${flags})
run("building the consumer" ${CMAKE_COMMAND} --build ${build})
run("running the consumer" ${build}/coze_consumer)
message(STATUS "${RUN_OUTPUT}")
if(NOT RUN_OUTPUT MATCHES "user-agent: cozecpp/[0-9.]+ cpp/")
  message(FATAL_ERROR "unexpected consumer output:\n${RUN_OUTPUT}")
endif()
if(NOT RUN_OUTPUT MATCHES "authorize: https://www\\.coze\\.cn/api/permission/oauth2/authorize\\?")
  message(FATAL_ERROR "unexpected consumer output:\n${RUN_OUTPUT}")
endif()
