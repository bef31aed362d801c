#pragma once
// The spelling rules for names in a scenario, shared by the decoder and the semantic checks.

#include <string_view>

namespace mailscope::scenario {

constexpr std::size_t kNameLengthMax = 63;
constexpr std::size_t kHostnameLengthMax = 253;
constexpr std::size_t kAddressLengthMax = 254;  // RFC 5321 path limit, minus the brackets

// A scenario id: 1..64 of [a-z0-9-], not starting or ending with '-'.
bool is_scenario_id(std::string_view text);
// A LAN, router, WAN or client machine name: 1..63 of [A-Za-z0-9._-], starting with a letter or
// digit.
bool is_name(std::string_view text);
// A DNS host name in lowercase: labels of [a-z0-9-] (1..63, no leading or trailing '-'),
// separated by single dots, no trailing dot, at most 253 characters.
bool is_hostname(std::string_view text);
// local@domain: a dot-atom local part (RFC 5322 atext and single dots) of 1..64 characters and a
// host name with at least one dot... or a single label (for "localhost"-style lessons).
bool is_email_address(std::string_view text);
// The domain part of an address ("" if there is no '@').
std::string_view domain_of(std::string_view address);
// True if `host` is `domain` or a name under it ("mx.gmail.com" in "gmail.com").
bool is_within(std::string_view host, std::string_view domain);

}  // namespace mailscope::scenario
