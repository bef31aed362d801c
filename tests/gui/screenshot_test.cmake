cmake_minimum_required(VERSION 3.25)
# Renders three different moments of the built-in run under Xvfb and checks that each PNG was
# written, is not blank (a blank 1280x800 PNG compresses to a few kilobytes) and differs from the
# others; renders compare mode the same way; checks that the frame cache draws what drawing every
# pixel draws; then checks the clean failures (a bad scenario file, no display).
# Invoked by CTest: cmake -DGUI=... -DXVFB_RUN=... -DPNG_COMPARE=... -DOUT=... -P screenshot_test.cmake
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

# Compare mode: the cross-domain and same-domain demos side by side, at 1280x720.
set(png ${OUT}/compare.png)
file(REMOVE ${png})
execute_process(COMMAND ${XVFB_RUN} -a ${GUI} demo --compare demo-same-domain --screenshot ${png}
                        --step 640 --size 1280x720
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${png})
  message(FATAL_ERROR "compare screenshot failed (${rc}): ${out} ${err}")
endif()
if(NOT out MATCHES "B at step")
  message(FATAL_ERROR "compare screenshot did not open the second run: ${out}")
endif()
file(SIZE ${png} size)
if(size LESS 40000)
  message(FATAL_ERROR "compare: ${size} bytes, the image looks blank")
endif()
file(SHA256 ${png} hash)
if(hash IN_LIST hashes)
  message(FATAL_ERROR "compare: same image as a single-run screenshot")
endif()

# The frame cache (panels kept between frames, partial copies) must draw the same picture as
# drawing every pixel every frame; blending into the cache may round an edge pixel by a level.
foreach(mode cache nocache)
  set(flag "")
  if(mode STREQUAL "nocache")
    set(flag --no-frame-cache)
  endif()
  execute_process(COMMAND ${XVFB_RUN} -a ${GUI} --screenshot ${OUT}/${mode}.png --step 200 ${flag}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "screenshot (${mode}) failed (${rc})")
  endif()
endforeach()
execute_process(COMMAND ${PNG_COMPARE} ${OUT}/cache.png ${OUT}/nocache.png 2
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the frame cache changed the picture: ${out}")
endif()

# A scenario file with a mistake: exit status 1 and the loader's file:line:column on stderr.
file(WRITE ${OUT}/bad.json "{\n  \"metadata\": {\n    \"id\": \"x\",,\n  }\n}\n")
execute_process(COMMAND ${XVFB_RUN} -a ${GUI} ${OUT}/bad.json --screenshot ${OUT}/bad.png
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "a bad scenario file gives exit status ${rc}, not 1: ${err}")
endif()
if(NOT err MATCHES "bad.json:3:")
  message(FATAL_ERROR "a bad scenario file is not reported with its position: ${err}")
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
