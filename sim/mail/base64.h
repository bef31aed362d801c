#pragma once
// Base64 (RFC 2045 6.8), the transfer encoding of attachments.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mailscope::mail {

// Encodes data; when line_length > 0 the output is cut into lines of that many characters, each
// ending in CRLF (the last one too). MIME bodies use 76.
std::string base64_encode(std::string_view data, std::size_t line_length = 0);
// Decodes, ignoring line breaks and white space. Fails on other characters or bad padding.
Result<std::string> base64_decode(std::string_view text);

}  // namespace mailscope::mail
