#pragma once
// One line saying what a step is, for the narration panel and lesson matching: the message text
// for application requests and responses (DNS summarised as tshark does), the transcript's
// description for everything else.

#include <string>

#include "gui/core/run_index.h"

namespace mailscope::gui {

std::string describe_step(const RunIndex& index, EventId id);

}  // namespace mailscope::gui
