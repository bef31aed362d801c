// The loader: a valid scenario resolves to the documented automatic values; each kind of
// mistake gives the exact message at the exact place; all mistakes are reported at once.

#include <gtest/gtest.h>

#include <string>

#include "scenario/loader.h"

namespace mailscope::scenario {
namespace {

// A small valid scenario, one section per line so that positions in the cases are easy to read.
const std::string kBase =
    R"({"id": "t", "title": "T", "level": "beginner", "description": "d",
 "network": {"lans": [{"name": "lan-a", "router": "r1"}, {"name": "lan-b", "router": "r2"}], "routers": [{"name": "r1"}, {"name": "r2"}], "wan": [{"name": "wan", "between": ["r1", "r2"]}]},
 "domains": [{"name": "outlook.com", "lan": "lan-a", "servers": [{"host": "smtp.outlook.com", "services": ["smtp", "submission", "imaps"]}]}, {"name": "gmail.com", "lan": "lan-b", "servers": [{"host": "mx.gmail.com", "services": ["smtp", "submission", "imaps"]}]}],
 "users": [{"address": "alice@outlook.com", "password": "p", "lan": "lan-a"}, {"address": "bob@gmail.com", "password": "p", "lan": "lan-b"}],
 "timeline": [{"do": "send", "from": "alice@outlook.com", "to": ["bob@gmail.com"], "subject": "Hi"}, {"do": "fetch", "user": "bob@gmail.com"}],
 "expect": [{"check": "delivered", "mailbox": "bob@gmail.com"}]}
)";

// kBase with the first occurrence of `from` replaced by `to`.
std::string edit(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const std::size_t at = text.find(from);
  if (at == std::string::npos) ADD_FAILURE() << "not in the base: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// `text` with the first occurrence of `from` replaced by `to`.
void replace(std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

TEST(Loader, BaseScenarioResolvesAutomaticValues) {
  const LoadResult r = load_scenario_text(kBase, "t.json");
  ASSERT_TRUE(r.ok()) << r.error_text();
  const Scenario& s = r.scenario();
  // LANs get 10.0.N.0/24 in order; routers the first host address.
  EXPECT_EQ(s.lans[0].subnet.to_string(), "10.0.1.0/24");
  EXPECT_EQ(s.lans[1].subnet.to_string(), "10.0.2.0/24");
  EXPECT_EQ(s.lans[1].router_address.to_string(), "10.0.2.1");
  // WAN links get /30s from 172.16.0.0; the first router listed gets .1.
  EXPECT_EQ(s.wans[0].subnet.to_string(), "172.16.0.0/30");
  EXPECT_EQ(s.wans[0].address_a.to_string(), "172.16.0.1");
  EXPECT_EQ(s.wans[0].address_b.to_string(), "172.16.0.2");
  // Hosts: DNS first (on the first LAN by default), then servers, then clients, from .10.
  ASSERT_EQ(s.hosts.size(), 5u);
  EXPECT_EQ(s.hosts[0].name, "dns-server");
  EXPECT_EQ(s.hosts[0].address.to_string(), "10.0.1.10");
  EXPECT_EQ(s.hosts[1].name, "smtp.outlook.com");
  EXPECT_EQ(s.hosts[1].address.to_string(), "10.0.1.11");
  EXPECT_EQ(s.hosts[2].name, "mx.gmail.com");
  EXPECT_EQ(s.hosts[2].address.to_string(), "10.0.2.10");
  EXPECT_EQ(s.hosts[2].gateway.to_string(), "10.0.2.1");
  EXPECT_EQ(s.hosts[2].resolver.to_string(), "10.0.1.10");
  EXPECT_EQ(s.hosts[3].name, "alice-pc");
  EXPECT_EQ(s.hosts[3].address.to_string(), "10.0.1.12");
  EXPECT_EQ(s.hosts[4].name, "bob-pc");
  // Routes: each router reaches the other LAN through the WAN.
  ASSERT_EQ(s.routes.size(), 2u);
  EXPECT_EQ(s.routes[0].router, "r1");
  EXPECT_EQ(s.routes[0].destination.to_string(), "10.0.2.0/24");
  EXPECT_EQ(s.routes[0].gateway.to_string(), "172.16.0.2");
  EXPECT_EQ(s.routes[1].gateway.to_string(), "172.16.0.1");
  // Users: submission on 587 with STARTTLS and AUTH; IMAPS from the domain's store.
  const User& alice = s.users[0];
  EXPECT_EQ(alice.send.server, "smtp.outlook.com");
  EXPECT_EQ(alice.send.port, 587);
  EXPECT_EQ(alice.send.security, Security::StartTls);
  EXPECT_TRUE(alice.send.auth);
  EXPECT_EQ(alice.fetch.server, "smtp.outlook.com");
  EXPECT_EQ(alice.fetch.port, 993);
  // MX defaults to the domain's smtp servers; the only server stores mail.
  ASSERT_EQ(s.domains[1].mx.size(), 1u);
  EXPECT_EQ(s.domains[1].mx[0].host, "mx.gmail.com");
  EXPECT_TRUE(s.domains[1].servers[0].stores_mail);
  // Single DNS: the root zone, then one zone per domain, all on dns-server.
  ASSERT_EQ(s.zones.size(), 3u);
  EXPECT_EQ(s.zones[0].server, "dns-server");
  EXPECT_EQ(s.zones[0].origin, "");
  EXPECT_EQ(s.zones[0].records.size(), 3u);  // SOA, NS and A of dns-server
  EXPECT_EQ(s.zones[2].server, "dns-server");
  EXPECT_EQ(s.zones[2].origin, "gmail.com");
  EXPECT_EQ(s.zones[2].records.size(), 5u);  // SOA, NS, A of ns1, MX, A of mx
  EXPECT_EQ(s.expectations[0].description, "bob@gmail.com has a message in INBOX");
}

TEST(Loader, HierarchyModeBuildsRootTldAndDomainServers) {
  const LoadResult r = load_scenario_text(
      edit(R"("level": "beginner",)", R"("level": "beginner", "dns": {"mode": "hierarchy"},)"),
      "t.json");
  ASSERT_TRUE(r.ok()) << r.error_text();
  const Scenario& s = r.scenario();
  std::vector<std::string> names;
  for (const HostPlan& h : s.hosts)
    names.push_back(h.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"a.root-servers.net", "a.nic.com", "ns1.outlook.com",
                                      "ns1.gmail.com", "resolver-lan-a", "resolver-lan-b",
                                      "smtp.outlook.com", "mx.gmail.com", "alice-pc", "bob-pc"}));
  // The domain's name server sits on the domain's LAN; clients ask their LAN's resolver.
  EXPECT_EQ(s.find_host("ns1.gmail.com")->lan, "lan-b");
  EXPECT_EQ(s.find_host("bob-pc")->resolver, s.find_host("resolver-lan-b")->address);
  // Zones: root, com, outlook.com, gmail.com.
  ASSERT_EQ(s.zones.size(), 4u);
  EXPECT_EQ(s.zones[0].origin, "");
  EXPECT_EQ(s.zones[1].origin, "com");
  EXPECT_EQ(s.zones[1].records.size(), 7u);  // SOA, NS, A, and NS + glue for two domains
  EXPECT_EQ(s.zones[3].server, "ns1.gmail.com");
}

struct Case {
  const char* name;
  std::string text;
  std::string errors;  // the whole error_text()
};

TEST(Loader, EachMistakeGivesItsExactMessage) {
  const Case cases[] = {
      {"malformed JSON", edit(R"("title": "T",)", R"("title": "T",,)"),
       "t.json:1:26: unexpected ',': expected a key in double quotes\n"},
      {"unknown key with a suggestion",
       edit(R"({"address": "bob@gmail.com")", R"({"adress": "bob@gmail.com")"),
       "t.json:4:79: /users/1: missing required key 'address'\n"
       "t.json:4:80: /users/1/adress: unknown key 'adress'; did you mean 'address'?\n"},
      {"unknown key without a close match",
       edit(R"("level": "beginner",)", R"("level": "beginner", "zzz": 1,)"),
       "t.json:1:48: /zzz: unknown key 'zzz' (expected one of \"$schema\", \"format\", \"id\", "
       "\"title\", \"level\", \"description\", \"objectives\", \"seed\", \"duration_s\", "
       "\"network\", \"dns\", \"domains\", \"users\", \"timeline\", \"narration\" or "
       "\"expect\")\n"},
      {"wrong type", edit(R"("password": "p", "lan": "lan-b")", R"("password": 7, "lan": "lan-b")"),
       "t.json:4:120: /users/1/password: expected a string, got a number\n"},
      {"bad address", edit(R"({"address": "bob@gmail.com")", R"({"address": "bob at gmail")"),
       "t.json:4:91: /users/1/address: expected an email address such as "
       "\"alice@example.com\" (lowercase domain), got \"bob at gmail\"\n"},
      {"enum with a suggestion", edit(R"("level": "beginner")", R"("level": "beginer")"),
       "t.json:1:36: /level: expected one of \"beginner\", \"intermediate\" or \"advanced\", "
       "got \"beginer\"; did you mean 'beginner'?\n"},
      {"unknown action", edit(R"({"do": "fetch")", R"({"do": "fecth")"),
       "t.json:5:109: /timeline/1/do: expected one of \"send\", \"fetch\", \"wait\", \"ping\", "
       "\"lookup\", \"link-down\", \"link-up\", \"host-down\", \"host-up\", \"crash\", "
       "\"restart\", \"dns-fail\", \"dns-restore\", \"set-fault\", \"clear-fault\" or "
       "\"narrate\", got \"fecth\"; did you mean 'fetch'?\n"},
      {"number out of range",
       edit(R"("between": ["r1", "r2"]})", R"("between": ["r1", "r2"], "loss": 1.5})"),
       "t.json:2:196: /network/wan/0/loss: expected a number from 0 to 1, got 1.5\n"},
      {"user in a domain that does not exist",
       edit(R"("bob@gmail.com", "password")", R"("bob@gmial.com", "password")"),
       "t.json:4:91: /users/1/address: the domain 'gmial.com' is not in /domains; did you mean "
       "'gmail.com'?\n"
       // the references to the old address are reported in the same run
       "t.json:5:126: /timeline/1/user: no user is named 'bob@gmail.com'; did you mean "
       "'bob@gmial.com'?\n"
       "t.json:6:47: /expect/0/mailbox: no user is named 'bob@gmail.com'; did you mean "
       "'bob@gmial.com'?\n"},
      {"duplicate host name", edit(R"({"host": "mx.gmail.com")", R"({"host": "smtp.outlook.com")"),
       "t.json:3:202: /domains/1/servers/0/host: host name 'smtp.outlook.com' is already used "
       "(/domains/0/servers/0/host)\n"
       "t.json:3:202: /domains/1/servers/0/host: server 'smtp.outlook.com' is not inside its "
       "domain 'gmail.com' (expected a name ending in .gmail.com)\n"},
      {"unroutable network",
       edit(R"("wan": [{"name": "wan", "between": ["r1", "r2"]}])", R"("wan": [])"),
       "t.json:2:86: /network/lans/1/router: LAN 'lan-b' is unreachable from LAN 'lan-a': no "
       "chain of WAN links joins router 'r2' to router 'r1'\n"},
      {"action naming a missing user",
       edit(R"({"do": "fetch", "user": "bob@gmail.com"})",
            R"({"do": "fetch", "user": "bobby@gmail.com"})"),
       "t.json:5:126: /timeline/1/user: no user is named 'bobby@gmail.com'; did you mean "
       "'bob@gmail.com'?\n"},
      {"expectation naming a missing mailbox",
       edit(R"("mailbox": "bob@gmail.com")", R"("mailbox": "carol@gmail.com")"),
       "t.json:6:47: /expect/0/mailbox: no user is named 'carol@gmail.com'\n"},
      {"time going backwards",
       edit(R"({"do": "fetch",)", R"({"do": "fetch", "at_s": 1,)")
           .insert(kBase.find(R"({"do": "send",)") + 1, R"("at_s": 5, )"),
       "t.json:5:137: /timeline/1/at_s: time goes backwards: at_s 1 is before at_s 5 of "
       "/timeline/0\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const LoadResult r = load_scenario_text(c.text, "t.json");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error_text(), c.errors);
  }
}

TEST(Loader, AllSemanticErrorsAreReportedAtOnceSortedByPosition) {
  std::string text = kBase;
  replace(text, R"("mailbox": "bob@gmail.com")", R"("mailbox": "bob@outlook.com")");      // line 6
  replace(text, R"("user": "bob@gmail.com")", R"("user": "eve@gmail.com", "at_s": 1)");   // 5
  replace(text, R"({"do": "send",)", R"({"do": "send", "at_s": 2,)");                     // 5
  replace(text, R"("lan": "lan-b"}])", R"("lan": "lan-c"}])");                            // 4
  replace(text, R"("bob@gmail.com", "password")", R"("alice@outlook.com", "password")");  // 4
  replace(text, R"("router": "r2"})", R"("router": "r3"})");                              // 2
  const LoadResult r = load_scenario_text(text, "t.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_text(),
            "t.json:2:86: /network/lans/1/router: router 'r3' is not declared in "
            "/network/routers; did you mean 'r1'?\n"
            "t.json:4:91: /users/1/address: duplicate user 'alice@outlook.com' (also /users/0)\n"
            "t.json:4:91: /users/1/address: client machine 'alice-pc' is already on LAN 'lan-a'; "
            "give this user another 'host'\n"
            "t.json:4:136: /users/1/lan: the user's LAN 'lan-c' does not exist; did you mean "
            "'lan-a'?\n"
            "t.json:5:137: /timeline/1/user: no user is named 'eve@gmail.com'\n"
            "t.json:5:162: /timeline/1/at_s: time goes backwards: at_s 1 is before at_s 2 of "
            "/timeline/0\n"
            "t.json:6:47: /expect/0/mailbox: no user is named 'bob@outlook.com'\n");
}

TEST(Loader, SchemaErrorsAreAllReportedAtOnce) {
  std::string text = edit(R"("title": "T")", R"("title": 1)");
  replace(text, R"("subject": "Hi")", R"("subjet": "Hi")");
  replace(text, R"("services": ["smtp", "submission", "imaps"]}]}])",
          R"("services": ["smtp", "submision", "imaps"]}]}])");
  const LoadResult r = load_scenario_text(text, "t.json");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics().size(), 4u) << r.error_text();
  EXPECT_EQ(r.diagnostics()[0].path, "/title");
  EXPECT_EQ(r.diagnostics()[1].path, "/domains/1/servers/0/services/1");
  EXPECT_EQ(r.diagnostics()[1].message,
            "expected one of \"smtp\", \"submission\", \"smtps\", \"imap\", \"imaps\", \"pop3\" "
            "or \"pop3s\", got \"submision\"; did you mean 'submission'?");
  EXPECT_EQ(r.diagnostics()[2].path, "/timeline/0");
  EXPECT_EQ(r.diagnostics()[2].message, "missing required key 'subject'");
  EXPECT_EQ(r.diagnostics()[3].path, "/timeline/0/subjet");
}

TEST(Loader, ExplicitAddressesAreCheckedAgainstTheirLan) {
  const LoadResult r = load_scenario_text(
      edit(R"({"host": "mx.gmail.com",)", R"({"host": "mx.gmail.com", "address": "10.0.1.99",)"),
      "t.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error_text(),
            "t.json:3:229: /domains/1/servers/0/address: 10.0.1.99 is not a host address of LAN "
            "'lan-b' (10.0.2.0/24)\n");
  const LoadResult ok = load_scenario_text(
      edit(R"({"host": "mx.gmail.com",)", R"({"host": "mx.gmail.com", "address": "10.0.2.10",)")
          .replace(kBase.find(R"({"name": "lan-b")"), 16,
                   R"({"name": "lan-b", "subnet": "192.168.5.0/24")"),
      "t.json");
  EXPECT_FALSE(ok.ok());  // 10.0.2.10 is outside 192.168.5.0/24 once the subnet is given
}

// The limits keep a huge or hostile file from being simulated; a generated benchmark raises them.
TEST(Loader, LimitsAreTheCallersToRaise) {
  ASSERT_TRUE(load_scenario_text(kBase, "t.json").ok());
  LoadLimits lists;
  lists.list_items_max = 1;
  const LoadResult long_list = load_scenario_text(kBase, "t.json", lists);
  ASSERT_FALSE(long_list.ok());
  EXPECT_NE(long_list.error_text().find("more than 1 items"), std::string::npos)
      << long_list.error_text();
  LoadLimits bytes;
  bytes.json.input_bytes_max = 100;
  const LoadResult big = load_scenario_text(kBase, "t.json", bytes);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error_text().find("larger than 100 bytes"), std::string::npos) << big.error_text();
}

TEST(Loader, FilesThatCannotBeReadAreOneDiagnostic) {
  const LoadResult r = load_scenario_file("/nonexistent/x.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics().size(), 1u);
  EXPECT_TRUE(r.error_text().starts_with("/nonexistent/x.json:1:1: cannot read the file"));
}

TEST(Loader, FindScenarioByIdOrPath) {
  const std::filesystem::path dir = std::filesystem::path(MAILSCOPE_SOURCE_DIR) / "scenarios";
  EXPECT_EQ(find_scenario("cross-domain", dir), dir / "cross-domain.json");
  EXPECT_EQ(find_scenario((dir / "greylisting.json").string(), dir), dir / "greylisting.json");
  EXPECT_EQ(find_scenario("no-such-lesson", dir), std::nullopt);
}

}  // namespace
}  // namespace mailscope::scenario
