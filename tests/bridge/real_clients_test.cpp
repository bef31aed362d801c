// Real client programs against the simulated world: Python's smtplib, openssl s_client, curl,
// swaks and dig. Each test is skipped when its program is not installed.

#include <gtest/gtest.h>

#include "bridge_world.h"
#include "real_client.h"

namespace mailscope::bridge::testing {
namespace {

#define REQUIRE_PROGRAM(name) \
  if (!have_program(name)) GTEST_SKIP() << name << " is not installed"

// mail.a.test's MSA and MTA, mx.b.test's MTA and the resolver, exposed on free ports.
struct Exposed {
  BridgeWorld world;
  std::uint16_t msa = 0;  // mail.a.test:587
  std::uint16_t mta = 0;  // mx.b.test:25
  std::uint16_t dns = 0;
  ScratchFile ca;

  Exposed() : ca("ca.pem", world.ca_pem()) {
    msa = port(world.bridge->expose(*world.mail_a, 587, 0));
    mta = port(world.bridge->expose(*world.mx_b, 25, 0));
    dns = port(world.bridge->expose_dns(world.resolver_host->address(), 0));
    world.run();
  }
  static std::uint16_t port(const Result<std::uint16_t>& exposed) {
    EXPECT_TRUE(exposed.ok()) << (exposed.ok() ? "" : exposed.error().to_string());
    return exposed.ok() ? *exposed : 0;
  }
  // Waits until bob has `count` messages; they travel mail.a.test -> mx.b.test first.
  bool bob_has(std::size_t count) {
    return world.wait_for([&] {
      auto messages = world.storage_b.store().messages("bob", "INBOX");
      return messages.ok() && messages->size() == count;
    });
  }
};

TEST(RealClients, PythonSmtplibStartTlsAndAuthOnSubmissionPort) {
  REQUIRE_PROGRAM("python3");
  Exposed t;
  const ScratchFile script("submit.py", R"(import smtplib, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
context = ssl.create_default_context(cafile=ca)
s = smtplib.SMTP('127.0.0.1', port, local_hostname='student.example', timeout=30)
s._host = 'mail.a.test'  # the name to verify the certificate against
code, _ = s.starttls(context=context)
print('starttls', code, s.sock.version())
print('login', s.login('alice', 'alice-secret')[0])
s.sendmail('alice@a.test', ['bob@b.test'], 'From: alice@a.test\r\nTo: bob@b.test\r\nSubject: from python\r\n\r\nsmtplib was here\r\n')
print('quit', s.quit()[0])
)");
  const ProgramRun run =
      run_program("python3 " + script.path() + " " + std::to_string(t.msa) + " " + t.ca.path());
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.output, "starttls 220 TLSv1.3\nlogin 235\nquit 221\n");
  ASSERT_TRUE(t.bob_has(1));
  EXPECT_NE(t.world.inbox(t.world.storage_b, "bob")[0].find("Subject: from python\r\n"),
            std::string::npos);
}

TEST(RealClients, PythonSmtplibRefusesAnUnknownCertificateAuthority) {
  REQUIRE_PROGRAM("python3");
  Exposed t;
  // The system's CAs do not include the scenario CA: verification must fail.
  const ScratchFile script("submit.py", R"(import smtplib, ssl, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30)
s._host = 'mail.a.test'
try:
    s.starttls(context=ssl.create_default_context())
    print('verified')
except ssl.SSLCertVerificationError as e:
    print('rejected', e.verify_message)
)");
  const ProgramRun run = run_program("python3 " + script.path() + " " + std::to_string(t.msa));
  EXPECT_EQ(run.output, "rejected unable to get local issuer certificate\n");
}

TEST(RealClients, OpensslStartTlsVerifiesAgainstTheScenarioCa) {
  REQUIRE_PROGRAM("openssl");
  Exposed t;
  const std::string common =
      "openssl s_client -starttls smtp -connect 127.0.0.1:" + std::to_string(t.msa) + " -CAfile " +
      t.ca.path() + " -verify_return_error ";
  const ProgramRun good =
      run_program(common + "-servername mail.a.test -verify_hostname mail.a.test </dev/null");
  EXPECT_EQ(good.status, 0) << good.output;
  EXPECT_NE(good.output.find("Verify return code: 0 (ok)"), std::string::npos) << good.output;
  EXPECT_NE(good.output.find("Verified peername: mail.a.test"), std::string::npos) << good.output;
  // Another name than the certificate's: the same server fails verification.
  const ProgramRun wrong =
      run_program(common + "-servername smtp.gmail.com -verify_hostname smtp.gmail.com </dev/null");
  EXPECT_NE(wrong.status, 0) << wrong.output;
  EXPECT_NE(wrong.output.find("hostname mismatch"), std::string::npos) << wrong.output;
}

TEST(RealClients, CurlSendsOverPlainSmtpAndOverStartTlsWithAuth) {
  REQUIRE_PROGRAM("curl");
  Exposed t;
  const ScratchFile message("message.txt",
                            "From: alice@a.test\r\nTo: bob@b.test\r\nSubject: from curl\r\n\r\n"
                            "curl was here\r\n");
  const std::string envelope =
      " --mail-from alice@a.test --mail-rcpt bob@b.test --upload-file " + message.path();
  // Straight to b.test's MTA, as one MTA to another.
  const ProgramRun plain =
      run_program("curl -sS --max-time 60 --url smtp://127.0.0.1:" + std::to_string(t.mta) +
                  "/student.example" + envelope);
  EXPECT_EQ(plain.status, 0) << plain.output;
  ASSERT_TRUE(t.bob_has(1));
  // Through alice's MSA: STARTTLS required, certificate checked, then AUTH.
  const std::string msa = "mail.a.test:" + std::to_string(t.msa);
  const ProgramRun submission = run_program(
      "curl -sS --max-time 60 --url smtp://" + msa + "/student.example --resolve " + msa +
      ":127.0.0.1 --ssl-reqd --cacert " + t.ca.path() + " --user alice:alice-secret" + envelope);
  EXPECT_EQ(submission.status, 0) << submission.output;
  ASSERT_TRUE(t.bob_has(2));
}

TEST(RealClients, SwaksSendsToTheMta) {
  REQUIRE_PROGRAM("swaks");
  Exposed t;
  const ProgramRun run = run_program(
      "swaks --server 127.0.0.1 --port " + std::to_string(t.mta) +
      " --helo student.example --from alice@a.test --to bob@b.test --header 'Subject: from swaks'"
      " --body 'swaks was here' --timeout 60");
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("<-  250 2.1.5 Ok"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("<-  221 2.0.0 Bye"), std::string::npos) << run.output;
  ASSERT_TRUE(t.bob_has(1));
}

TEST(RealClients, SwaksSubmitsWithStartTlsAndAuth) {
  REQUIRE_PROGRAM("swaks");
  Exposed t;
  const ProgramRun run =
      run_program("swaks --server 127.0.0.1 --port " + std::to_string(t.msa) +
                  " --helo student.example --from alice@a.test --to bob@b.test --tls --tls-verify"
                  " --tls-ca-path " +
                  t.ca.path() +
                  " --tls-sni mail.a.test --auth LOGIN --auth-user alice"
                  " --auth-password alice-secret --timeout 60");
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("<~  235 2.7.0 Authentication successful"), std::string::npos)
      << run.output;
  ASSERT_TRUE(t.bob_has(1));
}

struct DigCase {
  const char* question;
  const char* options;
  const char* answer;  // what +short prints
};

TEST(RealClients, DigOverUdpAndTcp) {
  REQUIRE_PROGRAM("dig");
  Exposed t;
  const DigCase cases[] = {
      {"gmail.com MX", "", "10 gmail-smtp-in.l.google.com.\n"},  // the issue's example
      {"mail.a.test A", "", "10.0.1.25\n"},                      // an address
      {"b.test MX", "+tcp", "10 mx.b.test.\n"},                  // over TCP: spliced, not relayed
      {"nowhere.test A", "", ""},                                // NXDOMAIN: nothing to print
  };
  for (const DigCase& c : cases) {
    SCOPED_TRACE(c.question);
    const ProgramRun run = run_program("dig @127.0.0.1 -p " + std::to_string(t.dns) +
                                       " +short +time=10 +tries=1 " + c.options + " " + c.question);
    EXPECT_EQ(run.status, 0) << run.output;
    EXPECT_EQ(run.output, c.answer);
  }
  // The queries crossed the virtual network: the external client recorded them.
  const auto queries = t.world.on_loop([&] {
    std::size_t n = 0;
    const Trace& trace = t.world.sim.trace();
    for (const TraceEvent& e : trace.events()) {
      if (e.node == t.world.bridge->client_host().id() && e.kind == EventKind::Request &&
          e.flow != kNoFlow && trace.flow(e.flow).application == "dns") {
        ++n;
      }
    }
    return n;
  });
  EXPECT_EQ(queries, 3u);  // the UDP ones; DNS over TCP is recorded by the resolver only
}

}  // namespace
}  // namespace mailscope::bridge::testing
