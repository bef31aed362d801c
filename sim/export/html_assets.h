#pragma once
// The report's fixed style sheet and script, and the Content-Security-Policy that allows exactly
// that script (by its SHA-256) and nothing from the network.

#include <string>
#include <string_view>

namespace mailscope::exporter {

std::string_view report_style();
std::string_view report_script();
// "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-...'; ..."
std::string report_content_security_policy();

}  // namespace mailscope::exporter
