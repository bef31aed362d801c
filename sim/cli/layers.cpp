#include "cli/layers.h"

#include <iostream>
#include <sstream>

namespace mailscope::cli {

bool parse_layers(const std::string& text, exporter::TranscriptOptions& options) {
  if (text == "all") {
    options = exporter::TranscriptOptions::all_layers();
    return true;
  }
  std::stringstream in(text);
  std::string item;
  bool any = false;
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
    any = true;
  }
  return any;
}

bool parse_layers_option(const std::string& text, exporter::TranscriptOptions& options) {
  if (parse_layers(text, options)) return true;
  std::cerr << "mailscope: --layers: expected a list of 1,2,3,4,tls,7 or 'all', got '" << text
            << "'\n";
  return false;
}

}  // namespace mailscope::cli
