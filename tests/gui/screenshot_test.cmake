cmake_minimum_required(VERSION 3.25)
# Renders three different moments of the built-in run under Xvfb and checks that each PNG was
# written, is not blank (a blank 1280x800 PNG compresses to a few kilobytes) and differs from the
# others; then checks the clean failure without a display.
# Invoked by CTest: cmake -DGUI=... -DXVFB_RUN=... -DOUT=... -P screenshot_test.cmake
file(MAKE_DIRECTORY ${OUT})
set(hashes "")
foreach(step 1 200 480)
  set(png ${OUT}/step-${step}.png)
  file(REMOVE ${png})
  execute_process(COMMAND ${XVFB_RUN} -a ${GUI} --screenshot ${png} --step ${step} --size 1280x800
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "screenshot at step ${step} failed (${rc}): ${out} ${err}")
  endif()
  if(NOT EXISTS ${png})
    message(FATAL_ERROR "no PNG written for step ${step}")
  endif()
  file(SIZE ${png} size)
  if(size LESS 40000)
    message(FATAL_ERROR "step ${step}: ${size} bytes, the image looks blank")
  endif()
  file(READ ${png} magic LIMIT 8 HEX)
  if(NOT magic STREQUAL "89504e470d0a1a0a")
    message(FATAL_ERROR "step ${step}: not a PNG (${magic})")
  endif()
  file(SHA256 ${png} hash)
  if(hash IN_LIST hashes)
    message(FATAL_ERROR "step ${step}: same image as an earlier step")
  endif()
  list(APPEND hashes ${hash})
endforeach()

# By time instead of step: also renders.
execute_process(COMMAND ${XVFB_RUN} -a ${GUI} --screenshot ${OUT}/time.png --time 1.2
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "screenshot with --time failed (${rc})")
endif()

# Without a display: a clear message and exit code 2.
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
                        ${GUI} --screenshot ${OUT}/none.png
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "without a display the exit code is ${rc}, not 2")
endif()
if(NOT err MATCHES "no display")
  message(FATAL_ERROR "without a display the message does not say so: ${err}")
endif()
