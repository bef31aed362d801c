#include "cli/serve_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>

#include "bridge/bridge.h"
#include "bridge/real_time_driver.h"
#include "cli/layers.h"
#include "cli/run_command.h"
#include "cli/serve_stats.h"
#include "services/imap_server.h"
#include "services/mail_server.h"
#include "services/pop3_server.h"
#include "world/world.h"

namespace mailscope::cli {

namespace {

// "smtp.outlook.com:587=2587" -> host, virtual port, local port.
struct Exposure {
  std::string host;
  std::uint16_t virtual_port = 0;
  std::uint16_t local_port = 0;
};

std::optional<Exposure> parse_exposure(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  const std::size_t equals = text.find('=', colon == std::string::npos ? 0 : colon);
  if (colon == std::string::npos || equals == std::string::npos || colon == 0) return std::nullopt;
  const auto number = [](const std::string& digits) -> std::optional<std::uint16_t> {
    if (digits.empty() || digits.size() > 5) return std::nullopt;
    std::uint32_t value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
  };
  const auto vport = number(text.substr(colon + 1, equals - colon - 1));
  const auto lport = number(text.substr(equals + 1));
  if (!vport || !lport || *vport == 0) return std::nullopt;
  return Exposure{text.substr(0, colon), *vport, *lport};
}

// A free address for the external client on `lan`: the highest host address no host uses.
std::optional<wire::Ipv4Addr> free_address(const scenario::Scenario& s, const scenario::Lan& lan) {
  const std::uint32_t network = lan.subnet.address.value & lan.subnet.mask();
  const std::uint32_t size = lan.subnet.prefix_len >= 31 ? 0 : (1u << (32 - lan.subnet.prefix_len));
  for (std::uint32_t offset = size - 2; offset >= 1 && size > 2; --offset) {
    const wire::Ipv4Addr candidate{network + offset};
    bool used = candidate == lan.router_address;
    for (const scenario::HostPlan& h : s.hosts)
      used = used || h.address == candidate;
    if (!used) return candidate;
  }
  return std::nullopt;
}

// File descriptors the process needs besides one per real connection (listeners, the event
// loop, the exports, standard streams).
constexpr rlim_t kSpareDescriptors = 64;

// Each real connection costs one descriptor (the virtual side costs none): raise the soft limit
// as far as the hard one allows, and say so when even that is too low for connections_max.
void raise_descriptor_limit(std::size_t connections_max) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  const rlim_t needed = static_cast<rlim_t>(connections_max) + kSpareDescriptors;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    std::cerr << "mailscope: warning: at most " << limit.rlim_cur
              << " open files (ulimit -n): fewer than the " << needed << " that " << connections_max
              << " connections need; real clients beyond that wait\n";
  }
}

}  // namespace

int serve_command(const ServeArgs& args) {
  if (auto error = bridge::RealTimeDriver::check_speed(args.speed)) {
    std::cerr << "mailscope: --speed: " << error->to_string() << "\n";
    return 2;
  }
  std::vector<Exposure> exposures;
  for (const std::string& text : args.expose) {
    const auto exposure = parse_exposure(text);
    if (!exposure) {
      std::cerr << "mailscope: --expose: expected VHOST:VPORT=LOCALPORT, got '" << text << "'\n";
      return 2;
    }
    exposures.push_back(*exposure);
  }
  exporter::TranscriptOptions transcript;
  if (!parse_layers_option(args.layers, transcript)) return 2;
  auto scenario = load_for_command(args.scenario);
  if (!scenario) return 2;
  const scenario::Domain* attach =
      args.attach.empty() ? &scenario->domains.front() : scenario->find_domain(args.attach);
  if (attach == nullptr) {
    std::cerr << "mailscope: --attach: the scenario has no domain '" << args.attach << "'\n";
    return 2;
  }
  const scenario::Lan& lan = *scenario->find_lan(attach->lan);
  const auto client_address = free_address(*scenario, lan);
  if (!client_address) {
    std::cerr << "mailscope: --attach: LAN " << lan.name
              << " has no free address for the external client\n";
    return 2;
  }

  // Real clients check certificates against the real clock: the lesson starts today.
  const auto today = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  auto built = world::World::build(*scenario, world::WorldOptions{args.seed, today});
  if (!built) {
    std::cerr << "mailscope: cannot build the world of " << scenario->meta.id << ": "
              << built.error().to_string() << "\n";
    return 2;
  }
  world::World& world = **built;

  boost::asio::io_context io;
  bridge::RealTimeDriver driver(io, world.sim(), args.speed);
  bridge::BridgeOptions options;
  options.bind_address = args.bind;
  options.client_address = wire::Ipv4Cidr{*client_address, lan.subnet.prefix_len};
  options.gateway = lan.router_address;
  options.client_link = lan.link;
  options.connections_max = args.connections_max;
  auto created =
      bridge::Bridge::create(io, driver, world.network(), *world.lan_switch(lan.name), options);
  if (!created) {
    std::cerr << "mailscope: " << created.error().to_string() << "\n";
    return 2;
  }
  bridge::Bridge& bridge = **created;
  if (bridge.bind_warning()) std::cerr << "mailscope: warning: " << *bridge.bind_warning() << "\n";

  // Every mail service of the scenario on a free port, unless --expose names the ones wanted.
  if (exposures.empty()) {
    for (const scenario::Domain& domain : scenario->domains)
      for (const scenario::MailServer& server : domain.servers)
        for (const scenario::MailService service : server.services)
          exposures.push_back({server.host, scenario::port_of(service), 0});
  }
  for (const Exposure& exposure : exposures) {
    net::Host* host = world.host(exposure.host);
    if (host == nullptr) {
      std::cerr << "mailscope: --expose: the scenario has no host '" << exposure.host << "'\n";
      return 2;
    }
    auto port = bridge.expose(*host, exposure.virtual_port, exposure.local_port);
    if (!port) {
      std::cerr << "mailscope: " << port.error().to_string() << "\n";
      return 2;
    }
  }
  if (args.dns_port) {
    const scenario::HostPlan* someone = nullptr;
    for (const scenario::HostPlan& h : scenario->hosts)
      if (h.lan == lan.name && h.resolver != wire::Ipv4Addr{}) someone = &h;
    if (someone == nullptr) {
      std::cerr << "mailscope: --dns-port: no DNS server serves LAN " << lan.name << "\n";
      return 2;
    }
    auto port = bridge.expose_dns(someone->resolver, *args.dns_port);
    if (!port) {
      std::cerr << "mailscope: " << port.error().to_string() << "\n";
      return 2;
    }
  }
  if (!args.ca_out.empty()) {
    std::ofstream out(args.ca_out);
    out << world.ca().certificate_pem();
    if (!out) {
      std::cerr << "mailscope: cannot write " << args.ca_out << "\n";
      return 2;
    }
  }

  // The servers take as many sessions as the bridge lets real clients in.
  for (const auto& mail_host : world.mail_hosts()) {
    if (mail_host->smtp) mail_host->smtp->set_connections_max(args.connections_max);
    if (mail_host->imap) mail_host->imap->set_connections_max(args.connections_max);
    if (mail_host->pop3) mail_host->pop3->set_connections_max(args.connections_max);
  }
  raise_descriptor_limit(args.connections_max);

  // SIGUSR1: a STATS line now, for scripts watching a long run.
  MailEventCounter mail_events;
  boost::asio::signal_set stats_signal(io, SIGUSR1);
  std::function<void()> await_stats_request = [&] {
    stats_signal.async_wait([&](const boost::system::error_code& error, int) {
      if (error) return;
      driver.catch_up();
      std::cout << stats_line(collect_stats(world, bridge, mail_events)) << "\n" << std::flush;
      await_stats_request();
    });
  };
  await_stats_request();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int) {
    if (error) return;
    std::cerr << "mailscope: stopping: closing sessions, then writing the exports\n";
    bridge.shut_down(std::chrono::seconds(5), [&] {
      driver.stop();
      stats_signal.cancel();
      io.stop();
    });
  });
  // Both signals are caught before READY is printed: a script may send them at once.
  world.start();
  driver.start();
  std::cout << bridge.ready_line() << "\n" << bridge.table() << std::flush;

  io.run();
  std::cout << stats_line(collect_stats(world, bridge, mail_events)) << "\n" << std::flush;

  int status = 0;
  if (auto error = write_exports(world, args.exports, transcript)) {
    std::cerr << "mailscope: " << error->to_string() << "\n";
    status = 2;
  }
  return status;
}

}  // namespace mailscope::cli
