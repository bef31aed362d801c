#pragma once
// Runs tshark over a pcap the way the documentation tells users to: every checksum validated,
// the expert system asked for errors. Tests use it to prove our frames are well-formed.

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace mailscope::testing {

struct TsharkReport {
  int exit_status = -1;
  std::string output;  // stdout and stderr of the expert run
  bool has_errors() const { return output.find("Errors (") != std::string::npos; }
  bool has_malformed() const { return output.find("Malformed") != std::string::npos; }
};

inline std::string run_command(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), n);
  const int rc = pclose(pipe);
  if (status != nullptr) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return output;
}

inline bool tshark_available() {
  int status = -1;
  run_command("tshark --version >/dev/null 2>&1", &status);
  return status == 0;
}

inline std::filesystem::path write_temp_file(const std::string& name,
                                             const std::vector<std::uint8_t>& bytes) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return path;
}

// `extra` holds further tshark options, e.g. "-o tls.keylog_file:/tmp/keys".
inline TsharkReport tshark_expert(const std::filesystem::path& pcap,
                                  const std::string& extra = "") {
  TsharkReport report;
  report.output = run_command("tshark -r '" + pcap.string() +
                                  "' -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE"
                                  " -o udp.check_checksum:TRUE " +
                                  extra + " -q -z expert,error 2>&1",
                              &report.exit_status);
  return report;
}

// tshark's one-line summaries of every frame (for asserting what a dissector sees).
inline std::string tshark_summary(const std::filesystem::path& pcap,
                                  const std::string& extra = "") {
  return run_command("tshark -r '" + pcap.string() + "' " + extra + " 2>&1", nullptr);
}

}  // namespace mailscope::testing
