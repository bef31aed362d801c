#include "export/pcap_export.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace mailscope::exporter {
namespace {

constexpr int kSnapLength = 65535;

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};

// Streams every captured frame into an open FILE through libpcap's dumper (which owns the FILE).
void dump(const Trace& trace, std::FILE* file, const PcapOptions& options) {
  std::unique_ptr<pcap_t, PcapCloser> handle(
      pcap_open_dead_with_tstamp_precision(DLT_EN10MB, kSnapLength, PCAP_TSTAMP_PRECISION_NANO));
  pcap_dumper_t* dumper = pcap_dump_fopen(handle.get(), file);
  Trace::Scratch scratch;  // a forwarded frame's pieces, gathered
  for (const TraceEvent& e : trace.events()) {
    if (e.layer != Layer::Physical) continue;
    if (options.tap) {
      if (e.node != *options.tap || (e.kind != EventKind::Send && e.kind != EventKind::Receive))
        continue;
    } else if (e.kind != EventKind::Send) {
      continue;
    }
    const auto bytes = trace.data(e, scratch);
    pcap_pkthdr header{};
    // With nanosecond precision libpcap stores nanoseconds in the tv_usec field.
    header.ts.tv_sec = static_cast<time_t>(e.time / kSecond);
    header.ts.tv_usec = static_cast<suseconds_t>(e.time % kSecond);
    header.caplen = static_cast<bpf_u_int32>(bytes.size());
    header.len = static_cast<bpf_u_int32>(bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, bytes.data());
  }
  pcap_dump_close(dumper);
}

}  // namespace

std::optional<Error> write_pcap(const Trace& trace, const std::string& path,
                                const PcapOptions& options) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return make_error(std::strerror(errno), path);
  dump(trace, file, options);
  return std::nullopt;
}

std::vector<std::uint8_t> pcap_bytes(const Trace& trace, const PcapOptions& options) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* file = open_memstream(&buffer, &size);
  if (file == nullptr) return {};
  dump(trace, file, options);  // closes the stream, which finalises buffer and size
  std::vector<std::uint8_t> bytes(buffer, buffer + size);
  std::free(buffer);
  return bytes;
}

}  // namespace mailscope::exporter
