#include "scenario/resolve.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "scenario/text_rules.h"
#include "wire/dns_text.h"

namespace mailscope::scenario {
namespace {

using wire::Ipv4Addr;
using wire::Ipv4Cidr;

std::string ip(Ipv4Addr a) {
  return a.to_string();
}

bool overlaps(const Ipv4Cidr& a, const Ipv4Cidr& b) {
  return a.contains(b.network()) || b.contains(a.network());
}

// The n-th address of a network (0 is the network address itself).
Ipv4Addr nth(const Ipv4Cidr& net, std::uint32_t n) {
  return Ipv4Addr{net.network().value + n};
}

bool is_host_address(const Ipv4Cidr& net, Ipv4Addr a) {
  return net.contains(a) && a != net.network() && a != net.broadcast();
}

std::string top_label(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  return std::string(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

class Resolver {
 public:
  Resolver(Scenario& s, std::vector<Diagnostic>& out) : m_s(s), m_out(out) {}

  bool run() {
    // Every stage runs even after errors (each skips what names a missing LAN, router or
    // domain), so that one load reports every problem; only the zones, built from text, wait
    // for a clean scenario.
    check_network();
    check_domains();
    check_users();
    assign_subnets();
    plan_hosts();
    plan_routes();
    resolve_domains();
    resolve_users();
    check_timeline();
    check_narration();
    check_expectations();
    if (!failed()) plan_zones();
    return !failed();
  }

 private:
  bool failed() const { return m_errors != 0; }
  void err(std::string path, std::string message) {
    m_out.push_back(Diagnostic{SourcePos{}, std::move(path), std::move(message)});
    ++m_errors;
  }

  static std::string lan_path(std::size_t i) { return "/network/lans/" + std::to_string(i); }
  static std::string wan_path(std::size_t i) { return "/network/wan/" + std::to_string(i); }
  static std::string domain_path(std::size_t i) { return "/domains/" + std::to_string(i); }
  static std::string server_path(std::size_t d, std::size_t i) {
    return domain_path(d) + "/servers/" + std::to_string(i);
  }
  static std::string user_path(std::size_t i) { return "/users/" + std::to_string(i); }

  std::vector<std::string> lan_names() const {
    std::vector<std::string> out;
    for (const Lan& l : m_s.lans)
      out.push_back(l.name);
    return out;
  }
  std::vector<std::string> router_names() const {
    std::vector<std::string> out;
    for (const Router& r : m_s.routers)
      out.push_back(r.name);
    return out;
  }
  std::vector<std::string> user_addresses() const {
    std::vector<std::string> out;
    for (const User& u : m_s.users)
      out.push_back(u.address);
    return out;
  }
  std::vector<std::string> server_hosts() const {
    std::vector<std::string> out;
    for (const Domain& d : m_s.domains) {
      for (const MailServer& m : d.servers)
        out.push_back(m.host);
    }
    return out;
  }

  void need_lan(const std::string& name, const std::string& path, std::string_view what) {
    if (m_s.find_lan(name) == nullptr) {
      err(path, std::string(what) + " LAN '" + name + "' does not exist" +
                    did_you_mean(name, lan_names()));
    }
  }

  // ---- stage 3: names ------------------------------------------------------------------------

  void check_network() {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < m_s.lans.size(); ++i) {
      const Lan& l = m_s.lans[i];
      if (!seen.emplace(l.name, i).second) {
        err(lan_path(i) + "/name",
            "duplicate LAN name '" + l.name + "' (also " + lan_path(seen[l.name]) + ")");
      }
      const auto names = router_names();
      if (!l.router.empty() && std::find(names.begin(), names.end(), l.router) == names.end()) {
        err(lan_path(i) + "/router", "router '" + l.router +
                                         "' is not declared in /network/routers" +
                                         did_you_mean(l.router, names));
      }
      if (l.router.empty() && !l.router_address.is_unspecified()) {
        err(lan_path(i) + "/router_address", "a router address without a 'router'");
      }
    }
    std::map<std::string, std::size_t> routers;
    for (std::size_t i = 0; i < m_s.routers.size(); ++i) {
      const std::string& name = m_s.routers[i].name;
      if (!routers.emplace(name, i).second) {
        err("/network/routers/" + std::to_string(i) + "/name",
            "duplicate router name '" + name + "'");
      }
      m_host_names.emplace(name, "/network/routers/" + std::to_string(i) + "/name");
    }
    std::set<std::string> wans;
    for (std::size_t i = 0; i < m_s.wans.size(); ++i) {
      const Wan& w = m_s.wans[i];
      if (!wans.insert(w.name).second) {
        err(wan_path(i) + "/name", "duplicate WAN link name '" + w.name + "'");
      }
      for (int end = 0; end < 2; ++end) {
        const std::string& r = end == 0 ? w.router_a : w.router_b;
        if (!routers.contains(r)) {
          err(wan_path(i) + "/between/" + std::to_string(end),
              "router '" + r + "' is not declared in /network/routers" +
                  did_you_mean(r, router_names()));
        }
      }
      if (w.router_a == w.router_b) {
        err(wan_path(i) + "/between", "a WAN link must join two different routers");
      }
    }
    if (!m_s.dns.lan.empty()) need_lan(m_s.dns.lan, "/dns/lan", "the DNS");
  }

  // Registers a host name; reports a clash with an earlier host.
  void claim_host(const std::string& name, const std::string& path) {
    const auto [it, fresh] = m_host_names.emplace(name, path);
    if (!fresh) err(path, "host name '" + name + "' is already used (" + it->second + ")");
  }

  void check_domains() {
    std::map<std::string, std::size_t> seen;
    for (std::size_t di = 0; di < m_s.domains.size(); ++di) {
      Domain& d = m_s.domains[di];
      const std::string path = domain_path(di);
      if (!seen.emplace(d.name, di).second) {
        err(path + "/name", "duplicate domain '" + d.name + "'");
      }
      if (d.name.find('.') == std::string::npos) {
        err(path + "/name", "expected a domain with at least two labels, such as \"gmail.com\"");
      }
      need_lan(d.lan, path + "/lan", "the domain's");
      std::size_t storing = 0;
      for (std::size_t si = 0; si < d.servers.size(); ++si) {
        MailServer& m = d.servers[si];
        const std::string sp = server_path(di, si);
        claim_host(m.host, sp + "/host");
        if (!is_within(m.host, d.name)) {
          err(sp + "/host", "server '" + m.host + "' is not inside its domain '" + d.name +
                                "' (expected a name ending in ." + d.name + ")");
        }
        if (!m.lan.empty()) need_lan(m.lan, sp + "/lan", "the server's");
        if (m.certificate == Certificate::None) {
          for (MailService implicit :
               {MailService::Smtps, MailService::Imaps, MailService::Pop3s}) {
            if (m.offers(implicit)) {
              err(sp + "/services", "'" + std::string(to_string(implicit)) +
                                        "' uses TLS from the first byte, but the server has "
                                        "certificate \"none\"");
            }
          }
        }
        if (m.stores_mail) ++storing;
      }
      if (storing > 1) {
        err(path + "/servers",
            "more than one server says stores_mail: true; a domain's "
            "mailboxes live on exactly one server");
      }
      for (std::size_t i = 0; i < d.record_lines.size(); ++i) {
        const std::string rp = path + "/records/" + std::to_string(i);
        auto record = wire::parse_record(d.record_lines[i], m_s.dns.ttl_s);
        if (!record) {
          err(rp, "not a record line: " + record.error().to_string());
          continue;
        }
        auto origin = wire::DnsName::parse(d.name);
        if (origin && !record->name.is_subdomain_of(*origin)) {
          err(rp, "the owner '" + record->name.to_string() + "' is not inside '" + d.name + "'");
          continue;
        }
        d.records.push_back(std::move(*record));
      }
      if (!d.nameserver.empty() && !is_within(d.nameserver, d.name)) {
        err(path + "/nameserver",
            "the name server must be inside its domain (ns1." + d.name + ", for example)");
      }
      if (!d.nameserver_address.is_unspecified() && m_s.dns.mode == DnsMode::Single) {
        err(path + "/nameserver_address",
            "only used with dns mode \"hierarchy\" (in \"single\" mode one server answers)");
      }
    }
    for (std::size_t a = 0; a < m_s.domains.size(); ++a) {
      for (std::size_t b = 0; b < m_s.domains.size(); ++b) {
        if (a != b && m_s.domains[a].name != m_s.domains[b].name &&
            is_within(m_s.domains[a].name, m_s.domains[b].name)) {
          err(domain_path(a) + "/name", "domain '" + m_s.domains[a].name +
                                            "' lies inside domain '" + m_s.domains[b].name +
                                            "'; list its servers under that domain instead");
        }
      }
    }
    // MX entries may name a server of any domain (a backup MX is often someone else's).
    for (std::size_t di = 0; di < m_s.domains.size(); ++di) {
      const Domain& d = m_s.domains[di];
      for (std::size_t i = 0; i < d.mx.size(); ++i) {
        const std::string mp = domain_path(di) + "/mx/" + std::to_string(i) + "/host";
        const MailServer* m = m_s.find_server(d.mx[i].host);
        if (m == nullptr) {
          err(mp, "MX host '" + d.mx[i].host + "' is not a mail server of this scenario" +
                      did_you_mean(d.mx[i].host, server_hosts()));
        } else if (!m->offers(MailService::Smtp)) {
          err(mp, "MX host '" + d.mx[i].host + "' does not offer \"smtp\" (port 25)");
        }
      }
    }
  }

  void check_users() {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < m_s.users.size(); ++i) {
      User& u = m_s.users[i];
      const std::string path = user_path(i);
      if (!seen.emplace(u.address, i).second) {
        err(path + "/address",
            "duplicate user '" + u.address + "' (also " + user_path(seen[u.address]) + ")");
      }
      if (m_s.find_domain(u.domain()) == nullptr) {
        std::vector<std::string> domains;
        for (const Domain& d : m_s.domains)
          domains.push_back(d.name);
        err(path + "/address", "the domain '" + std::string(u.domain()) + "' is not in /domains" +
                                   did_you_mean(u.domain(), domains));
      }
      need_lan(u.lan, path + "/lan", "the user's");
      if (u.host.empty()) u.host = std::string(u.local_part()) + "-pc";
      // Users may share a machine (same host name, same LAN); nothing else may use its name.
      const auto client = m_clients.find(u.host);
      if (client != m_clients.end()) {
        if (client->second != u.lan) {
          err(path + (u.host == std::string(u.local_part()) + "-pc" ? "/address" : "/host"),
              "client machine '" + u.host + "' is already on LAN '" + client->second +
                  "'; give this user another 'host'");
        }
      } else {
        m_clients.emplace(u.host, u.lan);
        claim_host(u.host, path + "/host");
      }
      for (const auto& [server, service, which] :
           {std::tuple{u.send.server, u.send.service, "send"},
            std::tuple{u.fetch.server, u.fetch.service, "fetch"}}) {
        if (server.empty()) continue;
        const MailServer* m = m_s.find_server(server);
        if (m == nullptr) {
          err(path + "/" + which + "/server", "'" + server +
                                                  "' is not a mail server of this scenario" +
                                                  did_you_mean(server, server_hosts()));
        } else if (!m->offers(service)) {
          err(path + "/" + which + "/server", "'" + server + "' does not offer \"" +
                                                  std::string(to_string(service)) + "\" (port " +
                                                  std::to_string(port_of(service)) + ")");
        }
      }
    }
  }

  // ---- stage 4: automatic choices ------------------------------------------------------------

  void assign_subnets() {
    std::vector<Ipv4Cidr> taken;
    for (std::size_t i = 0; i < m_s.lans.size(); ++i) {
      if (m_s.lans[i].subnet.prefix_len != 32)
        taken_check(taken, m_s.lans[i].subnet, lan_path(i) + "/subnet");
    }
    for (std::size_t i = 0; i < m_s.wans.size(); ++i) {
      if (m_s.wans[i].subnet.prefix_len != 32) {
        if (m_s.wans[i].subnet.prefix_len > 30) {
          err(wan_path(i) + "/subnet", "a WAN link needs at least a /30 (two addresses)");
        }
        taken_check(taken, m_s.wans[i].subnet, wan_path(i) + "/subnet");
      }
    }
    std::uint32_t next_lan = 1;
    for (std::size_t i = 0; i < m_s.lans.size(); ++i) {
      Lan& l = m_s.lans[i];
      if (l.subnet.prefix_len == 32) {
        while (next_lan < 256) {
          Ipv4Cidr c{Ipv4Addr::from_octets(10, 0, static_cast<std::uint8_t>(next_lan), 0), 24};
          ++next_lan;
          if (free_of(taken, c)) {
            l.subnet = c;
            taken.push_back(c);
            break;
          }
        }
        if (l.subnet.prefix_len == 32) err(lan_path(i), "no free 10.0.N.0/24 network is left");
      }
      if (!l.router.empty()) {
        if (l.router_address.is_unspecified()) {
          l.router_address = nth(l.subnet, 1);
        } else if (!is_host_address(l.subnet, l.router_address)) {
          err(lan_path(i) + "/router_address", ip(l.router_address) +
                                                   " is not a host address "
                                                   "of " +
                                                   l.subnet.to_string());
        }
        reserve(l.name, l.router_address, lan_path(i) + "/router_address");
      }
    }
    std::uint32_t next_wan = 0;
    const std::uint32_t wan_base = Ipv4Addr::from_octets(172, 16, 0, 0).value;
    for (std::size_t i = 0; i < m_s.wans.size(); ++i) {
      Wan& w = m_s.wans[i];
      if (w.subnet.prefix_len == 32) {
        while (next_wan < (1u << 18)) {  // 172.16.0.0/12 holds 2^18 /30 networks
          Ipv4Cidr c{Ipv4Addr{wan_base + 4 * next_wan}, 30};
          ++next_wan;
          if (free_of(taken, c)) {
            w.subnet = c;
            taken.push_back(c);
            break;
          }
        }
      }
      w.address_a = nth(w.subnet, 1);
      w.address_b = nth(w.subnet, 2);
    }
  }

  static bool free_of(const std::vector<Ipv4Cidr>& taken, const Ipv4Cidr& c) {
    return std::none_of(taken.begin(), taken.end(),
                        [&](const Ipv4Cidr& t) { return overlaps(t, c); });
  }

  void taken_check(std::vector<Ipv4Cidr>& taken, const Ipv4Cidr& c, const std::string& path) {
    for (const Ipv4Cidr& t : taken) {
      if (overlaps(t, c)) {
        err(path, c.to_string() + " overlaps " + t.to_string());
        return;
      }
    }
    taken.push_back(c);
  }

  void reserve(const std::string& lan, Ipv4Addr a, const std::string& path) {
    const auto [it, fresh] = m_used[lan].emplace(a.value, path);
    if (!fresh) err(path, "address " + ip(a) + " is already used (" + it->second + ")");
  }

  Ipv4Addr allocate(const std::string& lan_name, const std::string& path) {
    const Lan* lan = m_s.find_lan(lan_name);
    if (lan == nullptr) return Ipv4Addr{};  // already reported
    const Ipv4Cidr& net = lan->subnet;
    const std::uint32_t size = net.broadcast().value - net.network().value;
    // Hosts start at .10 when the network has room, so low addresses stay free for routers.
    for (std::uint32_t n = size > 20 ? 10 : 2; n < size; ++n) {
      const Ipv4Addr a = nth(net, n);
      if (!m_used[lan_name].contains(a.value)) {
        m_used[lan_name].emplace(a.value, path);
        return a;
      }
    }
    err(path, "LAN '" + lan_name + "' (" + net.to_string() + ") has no free address left");
    return Ipv4Addr{};
  }

  // Adds a host; an explicit address is checked against its LAN, a zero one allocated later.
  void add_host(HostPlan h, Ipv4Addr given, const std::string& path) {
    const Lan* lan = m_s.find_lan(h.lan);
    m_host_paths.push_back(path);
    if (lan == nullptr) {  // already reported
      m_s.hosts.push_back(std::move(h));
      return;
    }
    if (!given.is_unspecified()) {
      if (!is_host_address(lan->subnet, given)) {
        err(path, ip(given) + " is not a host address of LAN '" + h.lan + "' (" +
                      lan->subnet.to_string() + ")");
      }
      reserve(h.lan, given, path);
      h.address = given;
    }
    if (!lan->router.empty()) h.gateway = lan->router_address;
    m_s.hosts.push_back(std::move(h));
  }

  void plan_hosts() {
    if (m_s.dns.lan.empty()) m_s.dns.lan = m_s.lans.front().name;
    // DNS infrastructure first, then mail servers, then clients (the documented order).
    for (std::size_t di = 0; di < m_s.domains.size(); ++di) {
      Domain& d = m_s.domains[di];
      if (d.nameserver.empty()) d.nameserver = "ns1." + d.name;
      claim_host(d.nameserver, domain_path(di) + "/nameserver");
    }
    if (m_s.dns.mode == DnsMode::Single) {
      claim_host("dns-server", "/dns");
      add_host({"dns-server", HostRole::DnsSingle, m_s.dns.lan, {}, {}, {}, ""}, {}, "/dns");
    } else {
      claim_host("a.root-servers.net", "/dns");
      add_host({"a.root-servers.net", HostRole::DnsRoot, m_s.dns.lan, {}, {}, {}, ""}, {}, "/dns");
      for (const Domain& d : m_s.domains) {
        const std::string tld = top_label(d.name);
        const std::string name = "a.nic." + tld;
        if (m_s.find_host(name) != nullptr) continue;
        claim_host(name, "/dns");
        add_host({name, HostRole::DnsTld, m_s.dns.lan, {}, {}, {}, tld}, {}, "/dns");
      }
      for (std::size_t di = 0; di < m_s.domains.size(); ++di) {
        const Domain& d = m_s.domains[di];
        add_host({d.nameserver, HostRole::DnsDomain, d.lan, {}, {}, {}, d.name},
                 d.nameserver_address, domain_path(di) + "/nameserver_address");
      }
      for (const Lan& l : m_s.lans) {
        const std::string name = "resolver-" + l.name;
        claim_host(name, "/dns");
        add_host({name, HostRole::DnsResolver, l.name, {}, {}, {}, ""}, {}, "/dns");
      }
    }
    for (std::size_t di = 0; di < m_s.domains.size(); ++di) {
      Domain& d = m_s.domains[di];
      for (std::size_t si = 0; si < d.servers.size(); ++si) {
        MailServer& m = d.servers[si];
        if (m.lan.empty()) m.lan = d.lan;
        add_host({m.host, HostRole::MailServer, m.lan, {}, {}, {}, ""}, m.address,
                 server_path(di, si) + "/address");
      }
    }
    std::set<std::string> clients;
    for (std::size_t i = 0; i < m_s.users.size(); ++i) {
      const User& u = m_s.users[i];
      if (!clients.insert(u.host).second) continue;
      add_host({u.host, HostRole::Client, u.lan, {}, {}, {}, ""}, {}, user_path(i) + "/host");
    }
    // Automatic addresses, in the same order.
    for (std::size_t i = 0; i < m_s.hosts.size(); ++i) {
      HostPlan& h = m_s.hosts[i];
      if (h.address.is_unspecified()) h.address = allocate(h.lan, m_host_paths[i]);
    }
    // Which DNS server each host asks.
    Ipv4Addr single;
    std::map<std::string, Ipv4Addr> resolvers;
    for (const HostPlan& h : m_s.hosts) {
      if (h.role == HostRole::DnsSingle) single = h.address;
      if (h.role == HostRole::DnsResolver) resolvers[h.lan] = h.address;
    }
    for (HostPlan& h : m_s.hosts) {
      if (h.role != HostRole::MailServer && h.role != HostRole::Client) continue;
      h.resolver = m_s.dns.mode == DnsMode::Single ? single : resolvers[h.lan];
    }
    for (Domain& d : m_s.domains) {
      if (m_s.dns.mode == DnsMode::Single) {
        d.nameserver_address = single;
      } else if (const HostPlan* ns = m_s.find_host(d.nameserver)) {
        d.nameserver_address = ns->address;
      }
      for (MailServer& m : d.servers) {
        if (const HostPlan* h = m_s.find_host(m.host)) m.address = h->address;
      }
    }
  }

  void plan_routes() {
    const std::size_t n = m_s.routers.size();
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i)
      index[m_s.routers[i].name] = i;
    // adjacency: router -> (neighbour, wan index)
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> adjacent(n);
    for (std::size_t w = 0; w < m_s.wans.size(); ++w) {
      if (!index.contains(m_s.wans[w].router_a) || !index.contains(m_s.wans[w].router_b)) {
        continue;  // already reported
      }
      const std::size_t a = index.at(m_s.wans[w].router_a);
      const std::size_t b = index.at(m_s.wans[w].router_b);
      adjacent[a].push_back({b, w});
      adjacent[b].push_back({a, w});
    }
    // first_hop[r][t]: the WAN link r uses towards t (or none), by breadth-first search.
    constexpr std::size_t kNone = SIZE_MAX;
    std::vector<std::vector<std::size_t>> first_hop(n, std::vector<std::size_t>(n, kNone));
    for (std::size_t r = 0; r < n; ++r) {
      std::vector<bool> seen(n, false);
      std::deque<std::size_t> queue{r};
      seen[r] = true;
      while (!queue.empty()) {
        const std::size_t at = queue.front();
        queue.pop_front();
        for (const auto& [next, wan] : adjacent[at]) {
          if (seen[next]) continue;
          seen[next] = true;
          first_hop[r][next] = at == r ? wan : first_hop[r][at];
          queue.push_back(next);
        }
      }
    }
    // Every LAN must reach the first one (and so every other).
    if (m_s.lans.size() > 1) {
      const Lan& first = m_s.lans.front();
      for (std::size_t i = 0; i < m_s.lans.size(); ++i) {
        const Lan& l = m_s.lans[i];
        if (!l.router.empty() && !index.contains(l.router)) continue;  // already reported
        if (l.router.empty()) {
          err(lan_path(i), "LAN '" + l.name +
                               "' has no router, so its hosts cannot reach the "
                               "other LANs: add \"router\"");
        } else if (i != 0 && !first.router.empty() && l.router != first.router &&
                   index.contains(first.router) &&
                   first_hop[index.at(first.router)][index.at(l.router)] == kNone) {
          err(lan_path(i) + "/router", "LAN '" + l.name + "' is unreachable from LAN '" +
                                           first.name + "': no chain of WAN links joins router '" +
                                           l.router + "' to router '" + first.router + "'");
        }
      }
    }
    if (failed()) return;
    const auto next_hop = [&](std::size_t from, std::size_t wan) {
      const Wan& w = m_s.wans[wan];
      return m_s.routers[from].name == w.router_a ? w.address_b : w.address_a;
    };
    for (std::size_t r = 0; r < n; ++r) {
      const std::string& name = m_s.routers[r].name;
      for (const Lan& l : m_s.lans) {
        if (l.router.empty() || l.router == name || !index.contains(l.router)) continue;
        const std::size_t wan = first_hop[r][index.at(l.router)];
        if (wan == kNone) continue;
        m_s.routes.push_back({name, l.subnet, next_hop(r, wan), m_s.wans[wan].name});
      }
      for (const Wan& target : m_s.wans) {
        if (target.router_a == name || target.router_b == name) continue;
        if (!index.contains(target.router_a)) continue;
        const std::size_t wan = first_hop[r][index.at(target.router_a)];
        if (wan == kNone) continue;
        m_s.routes.push_back({name, target.subnet, next_hop(r, wan), m_s.wans[wan].name});
      }
    }
  }

  void resolve_domains() {
    for (std::size_t di = 0; di < m_s.domains.size(); ++di) {
      Domain& d = m_s.domains[di];
      const bool any_given = std::any_of(d.servers.begin(), d.servers.end(),
                                         [](const MailServer& m) { return m.stores_mail; });
      if (!any_given && !d.servers.empty()) {
        MailServer* choice = d.servers.size() == 1 ? &d.servers.front() : nullptr;
        std::size_t readers = 0;
        for (MailServer& m : d.servers) {
          if (m.offers(MailService::Imap) || m.offers(MailService::Imaps) ||
              m.offers(MailService::Pop3) || m.offers(MailService::Pop3s)) {
            ++readers;
            if (choice == nullptr) choice = &m;
          }
        }
        if (d.servers.size() > 1 && readers > 1) choice = nullptr;
        if (choice != nullptr) {
          choice->stores_mail = true;
        } else if (std::any_of(m_s.users.begin(), m_s.users.end(),
                               [&](const User& u) { return u.domain() == d.name; })) {
          err(domain_path(di) + "/servers", "cannot tell which server holds the mailboxes of " +
                                                d.name + ": set \"stores_mail\": true on one");
        }
      }
      if (d.mx.empty()) {
        for (const MailServer& m : d.servers) {
          if (m.offers(MailService::Smtp)) d.mx.push_back({10, m.host});
        }
      }
    }
  }

  const MailServer* store_of(std::string_view domain) const {
    const Domain* d = m_s.find_domain(domain);
    if (d == nullptr) return nullptr;
    for (const MailServer& m : d->servers) {
      if (m.stores_mail) return &m;
    }
    return nullptr;
  }

  void resolve_users() {
    for (std::size_t i = 0; i < m_s.users.size(); ++i) {
      User& u = m_s.users[i];
      const Domain* d = m_s.find_domain(u.domain());
      if (d == nullptr) continue;  // already reported
      if (u.send.server.empty()) {
        for (const MailServer& m : d->servers) {
          if (m.offers(u.send.service)) {
            u.send.server = m.host;
            break;
          }
        }
      }
      if (u.fetch.server.empty()) {
        if (const MailServer* store = store_of(u.domain()); store != nullptr) {
          u.fetch.server = store->host;
        }
      }
    }
  }

  // A record built from text this file writes; a failure is a bug in the generator, reported
  // against the domain so that it can never pass silently.
  void add_record(ZonePlan& zone, const std::string& line, const std::string& path) {
    auto record = wire::parse_record(line, m_s.dns.ttl_s);
    if (!record) {
      err(path, "cannot build the record \"" + line + "\": " + record.error().to_string());
      return;
    }
    zone.records.push_back(std::move(*record));
  }

  void plan_zones() {
    const std::string ttl = " " + std::to_string(m_s.dns.ttl_s) + " IN ";
    const auto soa = [&](const std::string& origin, const std::string& ns) {
      const std::string owner = origin.empty() ? "." : origin + ".";
      return owner + ttl + "SOA " + ns + ". hostmaster." + (origin.empty() ? "" : origin + ".") +
             " 1 3600 600 86400 300";
    };
    const bool single = m_s.dns.mode == DnsMode::Single;
    const std::string single_name = "dns-server";
    if (single) {
      // The single server stands for all of the internet's DNS: holding the root zone too, it
      // answers NXDOMAIN for a domain that exists nowhere instead of refusing the question.
      const HostPlan* server = m_s.find_host(single_name);
      ZonePlan zone{single_name, "", {}};
      add_record(zone, soa("", single_name), "/dns");
      add_record(zone, "." + ttl + "NS " + single_name + ".", "/dns");
      add_record(zone, single_name + "." + ttl + "A " + ip(server->address), "/dns");
      m_s.zones.push_back(std::move(zone));
    } else {
      const HostPlan* root = m_s.find_host("a.root-servers.net");
      ZonePlan zone{root->name, "", {}};
      add_record(zone, soa("", root->name), "/dns");
      add_record(zone, "." + ttl + "NS " + root->name + ".", "/dns");
      add_record(zone, root->name + "." + ttl + "A " + ip(root->address), "/dns");
      for (const HostPlan& h : m_s.hosts) {
        if (h.role != HostRole::DnsTld) continue;
        add_record(zone, h.zone + "." + ttl + "NS " + h.name + ".", "/dns");
        add_record(zone, h.name + "." + ttl + "A " + ip(h.address), "/dns");
      }
      m_s.zones.push_back(std::move(zone));
      for (const HostPlan& h : m_s.hosts) {
        if (h.role != HostRole::DnsTld) continue;
        ZonePlan tld{h.name, h.zone, {}};
        add_record(tld, soa(h.zone, h.name), "/dns");
        add_record(tld, h.zone + "." + ttl + "NS " + h.name + ".", "/dns");
        add_record(tld, h.name + "." + ttl + "A " + ip(h.address), "/dns");
        for (const Domain& d : m_s.domains) {
          if (top_label(d.name) != h.zone) continue;
          add_record(tld, d.name + "." + ttl + "NS " + d.nameserver + ".", "/dns");
          add_record(tld, d.nameserver + "." + ttl + "A " + ip(d.nameserver_address), "/dns");
        }
        m_s.zones.push_back(std::move(tld));
      }
    }
    for (std::size_t di = 0; di < m_s.domains.size(); ++di) {
      const Domain& d = m_s.domains[di];
      const std::string path = domain_path(di);
      ZonePlan zone{single ? single_name : d.nameserver, d.name, {}};
      add_record(zone, soa(d.name, d.nameserver), path);
      add_record(zone, d.name + "." + ttl + "NS " + d.nameserver + ".", path);
      add_record(zone, d.nameserver + "." + ttl + "A " + ip(d.nameserver_address), path);
      for (const MxEntry& mx : d.mx) {
        add_record(zone,
                   d.name + "." + ttl + "MX " + std::to_string(mx.preference) + " " + mx.host + ".",
                   path);
      }
      for (const MailServer& m : d.servers) {
        add_record(zone, m.host + "." + ttl + "A " + ip(m.address), path);
      }
      for (const wire::DnsRecord& r : d.records)
        zone.records.push_back(r);
      m_s.zones.push_back(std::move(zone));
    }
  }

  // ---- stage 3 again: the timeline, narration and expectations ------------------------------

  std::vector<std::string> all_host_names() const {
    std::vector<std::string> out;
    for (const HostPlan& h : m_s.hosts)
      out.push_back(h.name);
    for (const Router& r : m_s.routers)
      out.push_back(r.name);
    return out;
  }

  bool is_host(std::string_view name) const {
    if (m_s.find_host(name) != nullptr) return true;
    return std::any_of(m_s.routers.begin(), m_s.routers.end(),
                       [&](const Router& r) { return r.name == name; });
  }

  void need_host(const std::string& name, const std::string& path) {
    if (!is_host(name)) {
      err(path, "no host is named '" + name + "'" + did_you_mean(name, all_host_names()));
    }
  }

  // A host name, or a user's address standing for their client machine.
  void need_host_or_user(const std::string& name, const std::string& path) {
    if (name.find('@') != std::string::npos) {
      need_user(name, path);
    } else {
      need_host(name, path);
    }
  }

  const User* need_user(const std::string& address, const std::string& path) {
    const User* u = m_s.find_user(address);
    if (u == nullptr) {
      err(path, "no user is named '" + address + "'" + did_you_mean(address, user_addresses()));
    }
    return u;
  }

  void need_mailbox(const std::string& address, const std::string& path) {
    const User* u = need_user(address, path);
    if (u != nullptr && store_of(u->domain()) == nullptr) {
      err(path, "'" + address + "' has no mailbox: domain '" + std::string(u->domain()) +
                    "' has no mail server that stores mail");
    }
  }

  const MailServer* need_server(const std::string& host, const std::string& path) {
    const MailServer* m = m_s.find_server(host);
    if (m == nullptr) {
      err(path, "no mail server is named '" + host + "'" + did_you_mean(host, server_hosts()));
    }
    return m;
  }

  bool is_dns_host(std::string_view name) const {
    const HostPlan* h = m_s.find_host(name);
    return h != nullptr && h->role != HostRole::MailServer && h->role != HostRole::Client;
  }

  void check_timeline() {
    std::optional<TimeNs> last_at;
    std::size_t last_at_index = 0;
    std::vector<std::string> wan_names;
    for (const Wan& w : m_s.wans)
      wan_names.push_back(w.name);
    for (std::size_t i = 0; i < m_s.timeline.size(); ++i) {
      Action& a = m_s.timeline[i];
      const std::string path = "/timeline/" + std::to_string(i);
      if (a.timing == Timing::At) {
        if (last_at && a.time_ns < *last_at) {
          err(path + "/at_s", "time goes backwards: at_s " + format_seconds(a.time_ns) +
                                  " is before at_s " + format_seconds(*last_at) + " of /timeline/" +
                                  std::to_string(last_at_index));
        }
        if (a.time_ns > m_s.meta.duration_ns) {
          err(path + "/at_s", "at_s " + format_seconds(a.time_ns) +
                                  " is after the end of the run (duration_s " +
                                  format_seconds(m_s.meta.duration_ns) + ")");
        }
        last_at = a.time_ns;
        last_at_index = i;
      }
      std::visit(
          [&](auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, SendMail>) {
              const User* u = need_user(body.from, path + "/from");
              if (u != nullptr && u->send.server.empty()) {
                err(path + "/from", "'" + body.from +
                                        "' has no server to send through: no "
                                        "server of " +
                                        std::string(u->domain()) + " offers \"" +
                                        std::string(to_string(u->send.service)) +
                                        "\"; add one or set send.server");
              }
            } else if constexpr (std::is_same_v<T, FetchMail>) {
              const User* u = need_user(body.user, path + "/user");
              if (u != nullptr) need_mailbox(body.user, path + "/user");
              if (u != nullptr && !u->fetch.server.empty()) {
                const MailServer* m = m_s.find_server(u->fetch.server);
                if (m != nullptr && !m->offers(u->fetch.service)) {
                  err(path + "/user", "'" + body.user + "' fetches with \"" +
                                          std::string(to_string(u->fetch.service)) + "\", which " +
                                          m->host + " does not offer");
                }
              }
            } else if constexpr (std::is_same_v<T, Ping>) {
              need_host_or_user(body.from, path + "/from");
              if (!Ipv4Addr::parse(body.to)) need_host_or_user(body.to, path + "/to");
            } else if constexpr (std::is_same_v<T, Lookup>) {
              need_host_or_user(body.from, path + "/from");
            } else if constexpr (std::is_same_v<T, SetLink>) {
              if (std::find(wan_names.begin(), wan_names.end(), body.link) == wan_names.end()) {
                err(path + "/link", "no WAN link is named '" + body.link + "'" +
                                        did_you_mean(body.link, wan_names));
              }
            } else if constexpr (std::is_same_v<T, SetHost>) {
              need_host(body.host, path + "/host");
            } else if constexpr (std::is_same_v<T, ServerControl>) {
              if (m_s.find_server(body.host) == nullptr && !is_dns_host(body.host)) {
                err(path + "/host", "no mail or DNS server is named '" + body.host + "'" +
                                        did_you_mean(body.host, all_host_names()));
              }
            } else if constexpr (std::is_same_v<T, DnsFault>) {
              if (!body.domain.empty()) {
                if (const Domain* d = m_s.find_domain(body.domain)) {
                  body.server = m_s.dns.mode == DnsMode::Single ? "dns-server" : d->nameserver;
                } else {
                  std::vector<std::string> names;
                  for (const Domain& dd : m_s.domains)
                    names.push_back(dd.name);
                  err(path + "/domain", "no domain is named '" + body.domain + "'" +
                                            did_you_mean(body.domain, names));
                }
              } else if (!is_dns_host(body.server)) {
                err(path + "/server", "no DNS server is named '" + body.server + "'" +
                                          did_you_mean(body.server, all_host_names()));
              }
            } else if constexpr (std::is_same_v<T, SetFault>) {
              if (const MailServer* m = need_server(body.server, path + "/server")) {
                if (body.fault == MailFault::Greylisting && !m->offers(MailService::Smtp)) {
                  err(path + "/server",
                      "greylisting applies to port 25, which '" + m->host + "' does not offer");
                }
              }
              if (body.on && body.fault == MailFault::OverQuota) {
                need_mailbox(body.user, path + "/user");
              }
            }
          },
          a.body);
    }
  }

  static std::string format_seconds(TimeNs t) {
    std::string text = std::to_string(static_cast<double>(t) / 1e9);
    while (text.back() == '0')
      text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
  }

  void check_narration() {
    for (std::size_t i = 0; i < m_s.narration.size(); ++i) {
      const NarrationRule& r = m_s.narration[i];
      if (!r.host.empty()) need_host(r.host, "/narration/" + std::to_string(i) + "/host");
    }
  }

  void check_expectations() {
    for (std::size_t i = 0; i < m_s.expectations.size(); ++i) {
      Expectation& e = m_s.expectations[i];
      const std::string path = "/expect/" + std::to_string(i);
      std::visit(
          [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, ExpectDelivered> ||
                          std::is_same_v<T, ExpectNotDelivered> ||
                          std::is_same_v<T, ExpectMailboxCount>) {
              need_mailbox(body.mailbox, path + "/mailbox");
            } else if constexpr (std::is_same_v<T, ExpectBounced>) {
              need_mailbox(body.user, path + "/user");
            } else if constexpr (std::is_same_v<T, ExpectReply>) {
              if (!body.host.empty()) need_host(body.host, path + "/host");
            } else if constexpr (std::is_same_v<T, ExpectDnsQueries>) {
              if (!body.server.empty() && !is_dns_host(body.server)) {
                err(path + "/server", "no DNS server is named '" + body.server + "'" +
                                          did_you_mean(body.server, all_host_names()));
              }
            } else if constexpr (std::is_same_v<T, ExpectTls>) {
              if (!body.from.empty()) need_host_or_user(body.from, path + "/from");
              need_host(body.to, path + "/to");
            }
          },
          e.body);
      if (e.description.empty()) e.description = describe(e.body);
    }
  }

  Scenario& m_s;
  std::vector<Diagnostic>& m_out;
  std::size_t m_errors = 0;
  std::map<std::string, std::string> m_host_names;  // every host name -> where it was declared
  std::map<std::string, std::string> m_clients;     // client machine -> its LAN
  std::map<std::string, std::map<std::uint32_t, std::string>> m_used;  // LAN -> address -> path
  std::vector<std::string> m_host_paths;  // parallel to m_s.hosts: where to report problems
};

std::string count_text(std::uint32_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string describe(const ExpectationBody& body) {
  return std::visit(
      [](const auto& b) -> std::string {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ExpectDelivered>) {
          std::string text =
              b.mailbox + " has " +
              (b.count == 1 ? std::string("a message")
                            : "at least " + count_text(b.count, "message", "messages"));
          if (!b.subject.empty()) text += " with subject \"" + b.subject + "\"";
          return text + " in " + b.folder;
        } else if constexpr (std::is_same_v<T, ExpectNotDelivered>) {
          return b.mailbox + " receives no message" +
                 (b.subject.empty() ? "" : " with subject \"" + b.subject + "\"");
        } else if constexpr (std::is_same_v<T, ExpectBounced>) {
          return b.user + " receives a bounce (non-delivery report)" +
                 (b.code ? " with code " + std::to_string(*b.code) : "");
        } else if constexpr (std::is_same_v<T, ExpectReply>) {
          std::string text = "reply " + std::to_string(b.code) + (b.seen ? " is" : " is never");
          text += " seen";
          if (!b.command.empty()) text += " after " + b.command;
          if (!b.host.empty()) text += " from " + b.host;
          return text;
        } else if constexpr (std::is_same_v<T, ExpectDnsQueries>) {
          std::string text = std::string(b.type.empty() ? "DNS" : b.type + " DNS") + " queries";
          if (!b.server.empty()) text += " to " + b.server;
          if (b.min && b.max) {
            text += ": between " + std::to_string(*b.min) + " and " + std::to_string(*b.max);
          } else if (b.min) {
            text += ": at least " + std::to_string(*b.min);
          } else if (b.max) {
            text += ": at most " + std::to_string(*b.max);
          }
          return text;
        } else if constexpr (std::is_same_v<T, ExpectTls>) {
          return std::string(b.used ? "TLS protects" : "no TLS on") + " the connection" +
                 (b.from.empty() ? "" : " from " + b.from) + " to " + b.to;
        } else if constexpr (std::is_same_v<T, ExpectCleartext>) {
          return "\"" + b.contains + "\" is" + (b.seen ? "" : " never") +
                 " visible in clear text on the wire";
        } else if constexpr (std::is_same_v<T, ExpectRetransmissions>) {
          return "at least " + count_text(b.min, "TCP retransmission", "TCP retransmissions");
        } else if constexpr (std::is_same_v<T, ExpectDeferred>) {
          return "delivery" + (b.recipient.empty() ? std::string() : " to " + b.recipient) +
                 " is deferred at least " + count_text(b.min, "time", "times");
        } else {
          return b.mailbox + " holds exactly " + count_text(b.count, "message", "messages") +
                 " in " + b.folder;
        }
      },
      body);
}

bool resolve_scenario(Scenario& s, std::vector<Diagnostic>& diagnostics) {
  return Resolver(s, diagnostics).run();
}

}  // namespace mailscope::scenario
