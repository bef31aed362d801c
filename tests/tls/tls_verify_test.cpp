// Certificate verification as a client sees it: the right certificate, and each way a lesson
// can make it wrong, in Require mode (the handshake fails) and Report mode (it goes on).

#include <openssl/x509_vfy.h>

#include <gmock/gmock.h>

#include "tls_test_world.h"

namespace mailscope::tls::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

enum class Problem { None, WrongName, Expired, NotYetValid, OtherCa, SelfSigned, NoTrustAnchor };

struct Case {
  const char* title;
  Problem problem;
  long code;            // X509_V_ERR_* the client reports
  const char* message;  // OpenSSL's text for it
  const char* alert;    // the fatal alert a Require-mode client sends, as the server sees it
};

const Case kCases[] = {
    {"right name, scenario CA", Problem::None, X509_V_OK, "ok", ""},
    {"certificate for another host", Problem::WrongName, X509_V_ERR_HOSTNAME_MISMATCH,
     "hostname mismatch", "received fatal bad_certificate"},
    {"expired before the virtual date", Problem::Expired, X509_V_ERR_CERT_HAS_EXPIRED,
     "certificate has expired", "received fatal certificate_expired"},
    {"valid only from tomorrow", Problem::NotYetValid, X509_V_ERR_CERT_NOT_YET_VALID,
     "certificate is not yet valid", "received fatal bad_certificate"},
    {"issued by a CA the client does not trust", Problem::OtherCa,
     X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "unable to get local issuer certificate",
     "received fatal unknown_ca"},
    {"self-signed by the server", Problem::SelfSigned, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
     "self-signed certificate", "received fatal unknown_ca"},
    {"client trusts no CA at all", Problem::NoTrustAnchor,
     X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "unable to get local issuer certificate",
     "received fatal unknown_ca"},
};

struct Scenario {
  Scenario(const Case& test, TlsVerifyMode mode)
      : pair(3), other_ca(make_ca(pair.crypto, "Elsewhere")) {
    CertificateRequest request = pair.good_request();
    TlsClientConfig config = pair.client_config();
    config.verify_mode = mode;
    CertificateAuthority* signer = &pair.ca;
    switch (test.problem) {
      case Problem::None:
        break;
      case Problem::WrongName:
        request.dns_names = {"mail.other.test"};
        break;
      case Problem::Expired:
        request.validity = {kNow - 400 * kDay, kNow - kDay};
        break;
      case Problem::NotYetValid:
        request.validity = {kNow + kDay, kNow + 400 * kDay};
        break;
      case Problem::OtherCa:
        signer = &other_ca;
        break;
      case Problem::SelfSigned:
        request.signer = CertificateSigner::SelfSigned;
        break;
      case Problem::NoTrustAnchor:
        config.trusted_cas.clear();
        break;
    }
    credentials = issue(*signer, request);
    client.emplace(TlsEndpoint::client(pair.crypto, config));
    server.emplace(TlsEndpoint::server(pair.crypto, pair.server_config(*credentials)));
    shuttle(*client, *server);
  }

  TlsPair pair;
  CertificateAuthority other_ca;
  std::optional<Credentials> credentials;
  std::optional<RecordingEndpoint> client;
  std::optional<RecordingEndpoint> server;
};

TEST(TlsVerify, RequireModeFailsWithAClearReason) {
  for (const Case& test : kCases) {
    SCOPED_TRACE(test.title);
    Scenario s(test, TlsVerifyMode::Require);
    const TlsInfo& info = s.client->endpoint.info();
    EXPECT_TRUE(info.verification.checked);
    EXPECT_EQ(info.verification.code, test.code);
    EXPECT_EQ(info.verification.message, test.message);
    ASSERT_TRUE(info.peer_certificate.has_value());  // known even when rejected
    if (test.problem == Problem::None) {
      EXPECT_EQ(s.client->endpoint.state(), TlsState::Established);
      EXPECT_EQ(s.server->endpoint.state(), TlsState::Established);
      continue;
    }
    EXPECT_EQ(s.client->endpoint.state(), TlsState::Failed);
    EXPECT_EQ(info.failure, std::string("certificate verify failed: ") + test.message);
    EXPECT_THAT(s.client->states, ElementsAre("HANDSHAKING -> FAILED"));
    // The server learns of it only through the client's alert.
    EXPECT_EQ(s.server->endpoint.state(), TlsState::Failed);
    EXPECT_THAT(s.server->alerts, ElementsAre(test.alert));
    EXPECT_THAT(s.server->endpoint.info().failure, HasSubstr("alert"));
  }
}

TEST(TlsVerify, ReportModeCompletesAndSaysWhatWasWrong) {
  for (const Case& test : kCases) {
    SCOPED_TRACE(test.title);
    Scenario s(test, TlsVerifyMode::Report);
    const TlsInfo& info = s.client->endpoint.info();
    EXPECT_EQ(s.client->endpoint.state(), TlsState::Established);
    EXPECT_EQ(s.server->endpoint.state(), TlsState::Established);
    EXPECT_TRUE(info.verification.checked);
    EXPECT_EQ(info.verification.code, test.code);
    EXPECT_EQ(info.verification.message, test.message);
    EXPECT_EQ(info.verification.ok(), test.problem == Problem::None);
    EXPECT_EQ(info.verification.problems.empty(), test.problem == Problem::None);
    EXPECT_TRUE(s.client->alerts.empty());
  }
}

TEST(TlsVerify, ReportModeListsEveryProblem) {
  // An expired certificate for the wrong host, from a CA nobody trusts.
  TlsPair pair(5);
  CertificateAuthority rogue = make_ca(pair.crypto, "Rogue");
  const Credentials credentials =
      issue(rogue, CertificateRequest{{"www.other.test"}, {kNow - 10 * kDay, kNow - kDay}});
  TlsClientConfig config = pair.client_config();
  config.verify_mode = TlsVerifyMode::Report;
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, config));
  RecordingEndpoint server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials)));
  shuttle(client, server);
  EXPECT_EQ(client.endpoint.state(), TlsState::Established);
  EXPECT_THAT(
      client.endpoint.info().verification.problems,
      ElementsAre("unable to get local issuer certificate (depth 0)", "hostname mismatch (depth 0)",
                  "unable to verify the first certificate (depth 0)",
                  "certificate has expired (depth 0)"));
}

TEST(TlsVerify, ValidityBoundariesUseTheVirtualDate) {
  struct Boundary {
    std::int64_t verify_time_s;
    long code;
  };
  const CertificateValidity validity{kNow, kNow + kDay};
  const Boundary boundaries[] = {
      {kNow - 1, X509_V_ERR_CERT_NOT_YET_VALID},  // one second too early
      {kNow, X509_V_OK},                          // first valid second
      {kNow + kDay - 1, X509_V_OK},               // last valid second
      // RFC 5280 counts notAfter itself as valid; OpenSSL 3.0 already calls it expired.
      {kNow + kDay, X509_V_ERR_CERT_HAS_EXPIRED},
  };
  for (const Boundary& b : boundaries) {
    SCOPED_TRACE(b.verify_time_s - kNow);
    TlsPair pair;
    const Credentials credentials = issue(pair.ca, {{"mx.example.test"}, validity});
    TlsClientConfig config = pair.client_config();
    config.verify_time_s = b.verify_time_s;
    RecordingEndpoint client(TlsEndpoint::client(pair.crypto, config));
    RecordingEndpoint server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials)));
    shuttle(client, server);
    EXPECT_EQ(client.endpoint.info().verification.code, b.code);
  }
}

TEST(TlsVerify, NoServerNameMeansNoSniAndNoNameCheck) {
  TlsPair pair;
  const Credentials credentials = issue(pair.ca, {{"mail.other.test"}, kOneYear});
  TlsClientConfig config = pair.client_config();
  config.server_name.clear();
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, config));
  RecordingEndpoint server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials)));
  shuttle(client, server);
  EXPECT_EQ(client.endpoint.state(), TlsState::Established);
  EXPECT_TRUE(client.endpoint.info().verification.ok());
  EXPECT_EQ(server.endpoint.info().server_name, "");
}

TEST(TlsVerify, WildcardCoversOneLabelOnly) {
  struct Name {
    const char* server_name;
    long code;
  };
  const Name names[] = {
      {"mx.example.test", X509_V_OK},
      {"a.b.example.test", X509_V_ERR_HOSTNAME_MISMATCH},  // two labels under the wildcard
      {"example.test", X509_V_ERR_HOSTNAME_MISMATCH},      // the wildcard needs a label
  };
  for (const Name& n : names) {
    SCOPED_TRACE(n.server_name);
    TlsPair pair;
    const Credentials credentials = issue(pair.ca, {{"*.example.test"}, kOneYear});
    TlsClientConfig config = pair.client_config();
    config.server_name = n.server_name;
    config.verify_mode = TlsVerifyMode::Report;
    RecordingEndpoint client(TlsEndpoint::client(pair.crypto, config));
    RecordingEndpoint server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials)));
    shuttle(client, server);
    EXPECT_EQ(client.endpoint.info().verification.code, n.code);
  }
}

}  // namespace
}  // namespace mailscope::tls::testing
