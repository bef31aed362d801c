#pragma once
// Base64 (RFC 4648, standard alphabet, with padding) as SASL uses it in SMTP AUTH (RFC 4954):
// the decoder is strict, because a lenient one would accept two spellings of one secret.

#include <string>
#include <string_view>

#include "core/result.h"

namespace mailscope::smtp {

std::string base64_encode(std::string_view bytes);
// Fails on characters outside the alphabet, a length that is not a multiple of 4, padding
// anywhere but at the end, and non-zero bits left over in the last group.
Result<std::string> base64_decode(std::string_view text);

}  // namespace mailscope::smtp
