// Messages per second through the bridge: real loopback SMTP clients submitting to an exposed
// port 25 of a zero-latency simulated world, with 1, 10 and 50 sessions in parallel, opening a
// new connection per message or reusing one. The comparison with Postfix's smtp-sink, with the
// same client (smtp-source) against both, is bench/bridge/postfix_compare.sh.
//
//   build/default/bench/bridge/bench_bridge [seconds per figure, default 3]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bridge/bridge.h"
#include "bridge/real_time_driver.h"
#include "core/simulator.h"
#include "net/network.h"
#include "services/mail_server.h"
#include "services/service_context.h"

namespace {

using namespace mailscope;
using Clock = std::chrono::steady_clock;

// A blocking SMTP client on 127.0.0.1; every call returns false on any surprise.
class Client {
 public:
  explicit Client(std::uint16_t port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{30, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m_ok = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
           expect("220");
  }
  ~Client() { ::close(m_fd); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool ok() const { return m_ok; }
  bool command(const std::string& text, const char* code) {
    m_ok =
        m_ok &&
        ::send(m_fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()) &&
        expect(code);
    return m_ok;
  }
  bool message(int n) {
    return command("MAIL FROM:<alice@a.test>\r\n", "250") &&
           command("RCPT TO:<bob@b.test>\r\n", "250") && command("DATA\r\n", "354") &&
           command("Subject: bench " + std::to_string(n) + "\r\n\r\n" + std::string(400, 'x') +
                       "\r\n.\r\n",
                   "250");
  }

 private:
  // Reads one reply (all its lines) and checks its code.
  bool expect(const char* code) {
    while (true) {
      const auto end = m_buffer.find("\r\n");
      if (end != std::string::npos) {
        const std::string line = m_buffer.substr(0, end);
        m_buffer.erase(0, end + 2);
        if (line.size() >= 4 && line[3] == '-') continue;
        return line.compare(0, 3, code) == 0;
      }
      char chunk[4096];
      const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  int m_fd = -1;
  bool m_ok = false;
  std::string m_buffer;
};

enum class Mode { NewConnection, Reused };

// Runs `sessions` client threads for `seconds`; returns messages per second (-1 on failure).
double measure(std::uint16_t port, int sessions, Mode mode, double seconds) {
  std::atomic<long> messages{0};
  std::atomic<bool> failed{false};
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < sessions; ++s) {
    threads.emplace_back([&, s] {
      int n = 0;
      if (mode == Mode::Reused) {
        Client c(port);
        if (!c.command("EHLO bench" + std::to_string(s) + ".example\r\n", "250")) failed = true;
        while (!failed && Clock::now() < until && c.message(n++))
          ++messages;
        if (!c.ok() || !c.command("QUIT\r\n", "221")) failed = true;
        return;
      }
      while (!failed && Clock::now() < until) {
        Client c(port);
        if (!c.command("EHLO bench" + std::to_string(s) + ".example\r\n", "250") ||
            !c.message(n++) || !c.command("QUIT\r\n", "221")) {
          failed = true;
          return;
        }
        ++messages;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return failed ? -1.0 : static_cast<double>(messages) / elapsed;
}

// The world: external-client and mx.b.test on one switch, links without delay or bandwidth
// limit, so that the figures measure the bridge and the stacks rather than virtual waiting.
struct World {
  boost::asio::io_context io;
  Simulator sim{1};
  net::Network network{sim};
  std::unique_ptr<services::ScenarioTls> tls;
  std::unique_ptr<services::ServiceContext> context;
  services::StaticMailRouter router;
  services::MailServerStorage storage{services::MailServerStorageOptions{}};
  bridge::RealTimeDriver driver{io, sim, 1.0};
  std::unique_ptr<services::MailServer> server;
  std::unique_ptr<bridge::Bridge> bridge;
  std::uint16_t port = 0;

  bool build() {
    const net::LinkConfig instant{0, 0, 1500, 100000, 0.0};
    net::Switch& lan = network.add_switch("lan");
    net::Host& mx = network.add_host("mx.b.test", "mail-server");
    network.attach(mx, lan, *wire::Ipv4Cidr::parse("10.0.2.25/24"), instant);
    const mail::MailClock clock{static_cast<std::int64_t>(std::time(nullptr)), 0};
    auto made_tls = services::ScenarioTls::create(sim, "bridge bench", clock);
    if (!made_tls) return false;
    tls = std::move(made_tls).value();
    context = std::make_unique<services::ServiceContext>(
        services::ServiceContext{sim, tls->crypto, tls->ca, nullptr, clock});
    router.add("b.test", services::MailExchange{10, "mx.b.test", {mx.address()}});
    if (!storage.add_user("bob", "bob-secret").ok()) return false;
    services::MailServerOptions options;
    options.hostname = "mx.b.test";
    options.domains = {"b.test"};
    options.submission_port = 0;
    options.smtps_port = 0;
    options.tls = false;
    auto made_server = services::MailServer::create(*context, mx, storage, router, options);
    if (!made_server) return false;
    server = std::move(made_server).value();
    bridge::BridgeOptions bridge_options;
    bridge_options.client_address = *wire::Ipv4Cidr::parse("10.0.2.99/24");
    bridge_options.client_link = instant;
    auto made_bridge = bridge::Bridge::create(io, driver, network, lan, bridge_options);
    if (!made_bridge) return false;
    bridge = std::move(made_bridge).value();
    auto exposed = bridge->expose(mx, 25, 0);
    if (!exposed) return false;
    port = *exposed;
    return true;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  World world;
  if (!world.build()) {
    std::fprintf(stderr, "could not build the world\n");
    return 1;
  }
  world.driver.start();
  auto work = boost::asio::make_work_guard(world.io);
  std::thread loop([&] { world.io.run(); });

  std::printf("%-10s %-16s %12s\n", "sessions", "connections", "messages/s");
  for (const Mode mode : {Mode::NewConnection, Mode::Reused}) {
    for (const int sessions : {1, 10, 50}) {
      const double rate = measure(world.port, sessions, mode, seconds);
      std::printf("%-10d %-16s %12.0f\n", sessions,
                  mode == Mode::NewConnection ? "one per message" : "reused", rate);
      std::fflush(stdout);
    }
  }
  work.reset();
  boost::asio::post(world.io, [&] {
    world.driver.stop();
    world.io.stop();
  });
  loop.join();
  return 0;
}
