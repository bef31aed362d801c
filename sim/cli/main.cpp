// mailscope: the command-line front end of the simulator.

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "cli/catalog_commands.h"
#include "cli/demo.h"
#include "cli/layers.h"
#include "cli/run_command.h"
#include "cli/serve_command.h"
#include "export/pcap_export.h"

namespace mailscope::cli {
namespace {

void add_export_options(CLI::App& command, ExportPaths& paths) {
  command.add_option("--transcript", paths.transcript, "Also write the text transcript to FILE");
  command.add_option("--json", paths.json, "Write every trace event as session JSON to FILE");
  command.add_option("--pcap", paths.pcap, "Write every frame on every link to FILE (pcap)");
  command.add_option("--keylog", paths.keylog,
                     "Write the TLS secrets to FILE (NSS key log) so Wireshark can decrypt");
  command.add_option("--html", paths.html, "Write a self-contained HTML report to FILE");
}

int demo_command(std::uint64_t seed, const std::string& pcap_path, const std::string& layers,
                 bool quiet) {
  exporter::TranscriptOptions transcript;
  if (!parse_layers_option(layers, transcript)) return 2;
  Simulator sim(seed);
  run_demo(sim);
  if (!quiet) exporter::write_transcript(sim.trace(), std::cout, transcript);
  if (!pcap_path.empty()) {
    if (const auto error = exporter::write_pcap(sim.trace(), pcap_path)) {
      std::cerr << "mailscope: cannot write pcap: " << error->to_string() << "\n";
      return 2;
    }
  }
  return 0;
}

}  // namespace
}  // namespace mailscope::cli

int main(int argc, char** argv) {
  using namespace mailscope;
  CLI::App app{"MailScope: watch an email travel through every layer of a simulated network"};
  app.set_version_flag("--version", std::string("mailscope ") + MAILSCOPE_VERSION);
  app.require_subcommand(1);

  CLI::App* list = app.add_subcommand("list", "List the bundled lessons");

  std::vector<std::string> files;
  CLI::App* validate = app.add_subcommand("validate", "Check scenario files; exit 2 on any error");
  validate->add_option("FILE", files, "Scenario files")->required();

  cli::RunArgs run_args;
  CLI::App* run =
      app.add_subcommand("run", "Run a scenario, print its transcript and check its expectations");
  run->add_option("SCENARIO", run_args.scenario,
                  "A scenario file or a bundled lesson's id (default: cross-domain)");
  run->add_option("--seed", run_args.seed, "Seed of the simulation's random numbers");
  cli::add_export_options(*run, run_args.exports);
  run->add_option("--layers", run_args.layers,
                  "Layers under each application line: a list of 1,2,3,4,tls,7 or 'all'")
      ->capture_default_str();
  run->add_option("--until", run_args.until_s, "Stop at this virtual time (seconds)");
  run->add_flag("--quiet", run_args.quiet, "Print nothing but failed expectations and errors");

  cli::ServeArgs serve_args;
  CLI::App* serve = app.add_subcommand(
      "serve", "Run a scenario in real time with its servers open to real mail clients");
  serve->add_option("SCENARIO", serve_args.scenario,
                    "A scenario file or a bundled lesson's id (default: cross-domain)");
  serve->add_option("--seed", serve_args.seed, "Seed of the simulation's random numbers");
  serve->add_option("--bind", serve_args.bind, "Address to listen on (a warning unless loopback)")
      ->capture_default_str();
  serve->add_option("--expose", serve_args.expose,
                    "VHOST:VPORT=LOCALPORT, e.g. smtp.outlook.com:587=2587 (repeatable; default: "
                    "every mail service on a free port)");
  serve->add_option("--dns-port", serve_args.dns_port,
                    "Expose the attached LAN's DNS server on this UDP and TCP port");
  serve->add_option("--attach", serve_args.attach,
                    "The domain whose LAN real clients join (default: the first)");
  serve->add_option("--speed", serve_args.speed, "Virtual seconds per real second")
      ->capture_default_str();
  serve
      ->add_option("--connections-max", serve_args.connections_max,
                   "Real connections at once (more are reset); the servers take as many sessions")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  serve->add_option("--ca-out", serve_args.ca_out,
                    "Write the scenario CA certificate (PEM) here, for clients to verify TLS");
  serve->add_option("--layers", serve_args.layers, "Layers in the transcript export")
      ->capture_default_str();
  cli::add_export_options(*serve, serve_args.exports);

  std::uint64_t demo_seed = 1;
  std::string demo_pcap;
  std::string demo_layers = "7,4,3";
  bool demo_quiet = false;
  CLI::App* demo = app.add_subcommand("demo", "Run the built-in demo network (no scenario file)");
  demo->add_option("--seed", demo_seed, "Seed of the simulation's random numbers")
      ->capture_default_str();
  demo->add_option("--pcap", demo_pcap, "Write every frame to this pcap file");
  demo->add_option("--layers", demo_layers, "Layers in the transcript")->capture_default_str();
  demo->add_flag("--quiet", demo_quiet, "Do not print the transcript");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 exits 0 for --help/--version and 106+ for usage errors; we promise 2 for the latter.
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }

  if (*list) return cli::list_command();
  if (*validate) return cli::validate_command(files);
  if (*run) return cli::run_command(run_args);
  if (*serve) return cli::serve_command(serve_args);
  return cli::demo_command(demo_seed, demo_pcap, demo_layers, demo_quiet);
}
