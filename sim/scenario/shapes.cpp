#include "scenario/shapes.h"

#include <cstdlib>

namespace mailscope::scenario {
namespace {

using Keys = std::vector<std::string>;

// Keys every link (LAN cable or WAN line) accepts.
Keys with_link_keys(Keys keys) {
  for (const char* k : {"latency_ms", "bandwidth_mbps", "mtu", "queue_frames", "loss"}) {
    keys.emplace_back(k);
  }
  return keys;
}

ObjectShape action(const std::string& kind, Keys keys, Keys required = {}) {
  Keys all = {"do", "at_s", "after_s", "narration"};
  all.insert(all.end(), keys.begin(), keys.end());
  required.insert(required.begin(), "do");
  return {"action-" + kind, std::move(all), std::move(required)};
}

ObjectShape expectation(const std::string& kind, Keys keys, Keys required = {}) {
  Keys all = {"check", "description"};
  all.insert(all.end(), keys.begin(), keys.end());
  required.insert(required.begin(), "check");
  return {"expect-" + kind, std::move(all), std::move(required)};
}

std::vector<ObjectShape> make_shapes() {
  return {
      {"scenario",
       {"$schema", "format", "id", "title", "level", "description", "objectives", "seed",
        "duration_s", "network", "dns", "domains", "users", "timeline", "narration", "expect"},
       {"id", "title", "level", "description", "network", "domains", "users"}},
      {"network", {"lans", "routers", "wan"}, {"lans"}},
      {"lan", with_link_keys({"name", "subnet", "router", "router_address"}), {"name"}},
      {"router", {"name"}, {"name"}},
      {"wan", with_link_keys({"name", "between", "subnet"}), {"name", "between"}},
      {"dns", {"mode", "lan", "ttl_s"}, {"mode"}},
      {"domain",
       {"name", "lan", "servers", "mx", "records", "nameserver", "nameserver_address"},
       {"name", "lan"}},
      {"server",
       {"host", "lan", "address", "services", "stores_mail", "certificate", "allow_plaintext_auth",
        "open_relay", "size_limit_bytes", "mailbox_quota_bytes", "retry_first_s", "retry_max_s",
        "give_up_after_s", "greylist_delay_s"},
       {"host", "services"}},
      {"mx", {"host", "preference"}, {"host", "preference"}},
      {"user",
       {"address", "name", "password", "lan", "host", "send", "fetch"},
       {"address", "password", "lan"}},
      {"send", {"server", "port", "security", "auth"}, {}},
      {"fetch", {"protocol", "server", "security", "mode"}, {}},
      {"attachment", {"name", "type", "size_bytes", "content"}, {"name", "type"}},
      action("send", {"from", "to", "cc", "bcc", "subject", "body", "attachments"},
             {"from", "to", "subject"}),
      action("fetch", {"user"}, {"user"}),
      action("wait", {"duration_s"}, {"duration_s"}),
      action("ping", {"from", "to", "count"}, {"from", "to"}),
      action("lookup", {"from", "name", "type"}, {"from", "name"}),
      action("link-down", {"link"}, {"link"}),
      action("link-up", {"link"}, {"link"}),
      action("host-down", {"host"}, {"host"}),
      action("host-up", {"host"}, {"host"}),
      action("crash", {"host"}, {"host"}),
      action("restart", {"host"}, {"host"}),
      action("dns-fail", {"domain", "server", "failure"}, {"failure"}),
      action("dns-restore", {"domain", "server"}),
      action("set-fault", {"server", "fault", "delay_s", "user", "permanent"}, {"server", "fault"}),
      action("clear-fault", {"server", "fault"}, {"server", "fault"}),
      action("narrate", {}, {"narration"}),
      {"narration",
       {"on", "occurrence", "host", "code", "type", "contains", "port", "text"},
       {"on", "text"}},
      expectation("delivered", {"mailbox", "folder", "subject", "count"}, {"mailbox"}),
      expectation("not-delivered", {"mailbox", "subject"}, {"mailbox"}),
      expectation("bounced", {"user", "subject", "code"}, {"user"}),
      expectation("reply", {"code", "host", "command", "seen"}, {"code"}),
      expectation("dns-queries", {"min", "max", "type", "server"}),
      expectation("tls", {"from", "to", "used"}, {"to"}),
      expectation("cleartext", {"contains", "seen"}, {"contains"}),
      expectation("retransmissions", {"min"}),
      expectation("deferred", {"recipient", "min"}),
      expectation("mailbox-count", {"mailbox", "folder", "count"}, {"mailbox", "count"}),
  };
}

Keys kinds_with_prefix(const std::string& prefix) {
  Keys out;
  for (const ObjectShape& s : object_shapes()) {
    if (s.name.starts_with(prefix)) out.push_back(s.name.substr(prefix.size()));
  }
  return out;
}

}  // namespace

const std::vector<ObjectShape>& object_shapes() {
  static const std::vector<ObjectShape> shapes = make_shapes();
  return shapes;
}

const ObjectShape& shape(std::string_view name) {
  for (const ObjectShape& s : object_shapes()) {
    if (s.name == name) return s;
  }
  std::abort();  // a shape name is a constant in the loader: a typo there is a programming error
}

const std::vector<std::string>& action_kinds() {
  static const Keys kinds = kinds_with_prefix("action-");
  return kinds;
}

const std::vector<std::string>& expectation_kinds() {
  static const Keys kinds = kinds_with_prefix("expect-");
  return kinds;
}

}  // namespace mailscope::scenario
