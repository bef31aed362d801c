// mailscope: the command-line front end of the simulator.

#include <CLI/CLI.hpp>

#include <iostream>
#include <sstream>
#include <string>

#include "cli/demo.h"
#include "core/simulator.h"
#include "export/pcap_export.h"
#include "export/transcript.h"

namespace mailscope::cli {
namespace {

// "7,4,3" or "all" -> the layers a transcript shows; "tls" names the TLS layer.
bool parse_layers(const std::string& text, exporter::TranscriptOptions& options) {
  if (text == "all") {
    options = exporter::TranscriptOptions::all_layers();
    return true;
  }
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "1")
      options.show(Layer::Physical);
    else if (item == "2")
      options.show(Layer::Link);
    else if (item == "3")
      options.show(Layer::Network);
    else if (item == "4")
      options.show(Layer::Transport);
    else if (item == "tls" || item == "TLS")
      options.show(Layer::Tls);
    else if (item == "7")
      options.show(Layer::Application);
    else
      return false;
  }
  return true;
}

}  // namespace
}  // namespace mailscope::cli

int main(int argc, char** argv) {
  using namespace mailscope;
  CLI::App app{"MailScope: watch an email travel through every layer of a simulated network"};
  app.set_version_flag("--version", std::string("mailscope ") + MAILSCOPE_VERSION);
  app.require_subcommand(0, 1);

  std::uint64_t seed = 1;
  std::string pcap_path;
  std::string layers = "7,4,3";
  bool quiet = false;
  CLI::App* demo =
      app.add_subcommand("demo", "Run the built-in demo network (the default command)");
  demo->add_option("--seed", seed, "Seed of the simulation's random numbers")
      ->capture_default_str();
  demo->add_option("--pcap", pcap_path, "Write every frame to this pcap file");
  demo->add_option("--layers", layers, "Layers in the transcript: a list of 1,2,3,4,tls,7 or 'all'")
      ->capture_default_str();
  demo->add_flag("--quiet", quiet, "Do not print the transcript");

  CLI11_PARSE(app, argc, argv);

  exporter::TranscriptOptions transcript;
  if (!cli::parse_layers(layers, transcript)) {
    std::cerr << "mailscope: --layers: expected a list of 1,2,3,4,tls,7 or 'all', got '" << layers
              << "'\n";
    return 2;
  }
  Simulator sim(seed);
  std::cerr << "mailscope: built-in demo, seed " << seed << "\n";
  cli::run_demo(sim);
  if (!quiet) exporter::write_transcript(sim.trace(), std::cout, transcript);
  if (!pcap_path.empty()) {
    if (const auto error = exporter::write_pcap(sim.trace(), pcap_path)) {
      std::cerr << "mailscope: cannot write pcap: " << error->to_string() << "\n";
      return 2;
    }
  }
  return 0;
}
