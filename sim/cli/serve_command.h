#pragma once
// `mailscope serve`: run a scenario in real time and expose its servers on real loopback ports,
// so real mail clients (telnet, swaks, curl, Python, dig) take part. Stops on SIGINT/SIGTERM,
// closing sessions politely, then writes the exports. Exit 0, or 2 for usage and set-up errors.
//
// Standard output: the READY line and the port table once every listener is up; a STATS line
// (serve_stats.h) on each SIGUSR1 and one more after the sessions have closed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/exports.h"

namespace mailscope::cli {

struct ServeArgs {
  std::string scenario;  // a path or a bundled id; "" for the default lesson
  std::optional<std::uint64_t> seed;
  std::string bind = "127.0.0.1";
  std::vector<std::string> expose;  // "VHOST:VPORT=LOCALPORT"
  std::optional<std::uint16_t> dns_port;
  std::string attach;  // the domain whose LAN the external client joins; "" for the first
  double speed = 1.0;
  // Real connections spliced at once (more are reset); the served mail servers take as many
  // sessions.
  std::size_t connections_max = 1024;
  std::string ca_out;
  std::string layers = "7";
  ExportPaths exports;
};

int serve_command(const ServeArgs& args);

}  // namespace mailscope::cli
