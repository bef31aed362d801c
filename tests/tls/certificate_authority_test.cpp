// The scenario CA: what its certificates contain, that they chain to it, that they repeat for a
// given seed, and which requests it refuses.

#include "tls/certificate_authority.h"

#include <gmock/gmock.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tls_test_world.h"

namespace mailscope::tls::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

TEST(CertificateAuthority, CaCertificateDescribesTheScenario) {
  TlsPair pair;
  const CertificateSummary ca = pair.ca.certificate().summary();
  EXPECT_EQ(ca.subject, "CN=MailScope Scenario CA, O=Tests");
  EXPECT_EQ(ca.issuer, ca.subject);  // self-signed root
  EXPECT_TRUE(ca.is_ca);
  EXPECT_EQ(ca.serial, 1u);
  EXPECT_EQ(ca.validity, (CertificateValidity{0, kNow + 3650 * kDay}));
  EXPECT_TRUE(ca.dns_names.empty());
  EXPECT_THAT(pair.ca.certificate_pem(), StartsWith("-----BEGIN CERTIFICATE-----\n"));
  EXPECT_EQ(pair.ca.scenario_name(), "Tests");
}

TEST(CertificateAuthority, IssuedCertificateNamesTheHostAndChainsToTheCa) {
  TlsPair pair;
  const CertificateValidity validity{kNow - 5, kNow + 1234567};
  auto issued = pair.ca.issue("smtp.example.test", validity);
  ASSERT_TRUE(issued.ok());
  const CertificateSummary leaf = issued->certificate.summary();
  EXPECT_EQ(leaf.subject, "CN=smtp.example.test, O=Tests");
  EXPECT_EQ(leaf.issuer, "CN=MailScope Scenario CA, O=Tests");
  EXPECT_THAT(leaf.dns_names, ElementsAre("smtp.example.test"));
  EXPECT_EQ(leaf.validity, validity);
  EXPECT_EQ(leaf.serial, 2u);
  EXPECT_FALSE(leaf.is_ca);
  EXPECT_EQ(
      X509_verify(issued->certificate.native(), X509_get0_pubkey(pair.ca.certificate().native())),
      1);
  EXPECT_EQ(X509_check_private_key(issued->certificate.native(), issued->key.native()), 1);
  // serverAuth is the one extended key usage.
  EXPECT_EQ(X509_get_extended_key_usage(issued->certificate.native()), XKU_SSL_SERVER);
  EXPECT_THAT(issued->key.pem(), StartsWith("-----BEGIN PRIVATE KEY-----\n"));
}

TEST(CertificateAuthority, SerialsCountUpAcrossRequests) {
  TlsPair pair;
  std::vector<std::uint64_t> serials;
  for (const char* host : {"a.test", "b.test", "c.test"}) {
    serials.push_back(issue(pair.ca, {{host}, kOneYear}).certificate.summary().serial);
  }
  serials.push_back(issue(pair.ca, {{"d.test"}, kOneYear, CertificateSigner::SelfSigned})
                        .certificate.summary()
                        .serial);
  EXPECT_THAT(serials, ElementsAre(2u, 3u, 4u, 5u));
}

TEST(CertificateAuthority, SeveralNamesAndLongNames) {
  TlsPair pair;
  // Longer than X.509's 64-character commonName: the name lives in subjectAltName only.
  const std::string long_name = std::string(60, 'a') + ".example.test";
  const CertificateSummary several =
      issue(pair.ca, {{"mx.example.test", "*.example.test"}, kOneYear}).certificate.summary();
  EXPECT_THAT(several.dns_names, ElementsAre("mx.example.test", "*.example.test"));
  const CertificateSummary long_one = issue(pair.ca, {{long_name}, kOneYear}).certificate.summary();
  EXPECT_EQ(long_one.subject, "O=Tests");
  EXPECT_THAT(long_one.dns_names, ElementsAre(long_name));
}

TEST(CertificateAuthority, SelfSignedIsItsOwnIssuer) {
  TlsPair pair;
  const Credentials self =
      issue(pair.ca, {{"mx.example.test"}, kOneYear, CertificateSigner::SelfSigned});
  const CertificateSummary summary = self.certificate.summary();
  EXPECT_EQ(summary.subject, "CN=mx.example.test, O=Tests");
  EXPECT_EQ(summary.issuer, summary.subject);
  EXPECT_EQ(X509_verify(self.certificate.native(), X509_get0_pubkey(self.certificate.native())), 1);
  EXPECT_NE(
      X509_verify(self.certificate.native(), X509_get0_pubkey(pair.ca.certificate().native())), 1);
}

TEST(CertificateAuthority, SameSeedSameCertificates) {
  auto make = [](std::uint64_t seed) {
    CryptoContext crypto = make_crypto(seed);
    CertificateAuthority ca = make_ca(crypto, "Repeat");
    const Credentials leaf = issue(ca, {{"mx.example.test"}, kOneYear});
    return ca.certificate_pem() + leaf.certificate.pem() + leaf.key.pem();
  };
  EXPECT_EQ(make(1), make(1));
  EXPECT_NE(make(1), make(2));
}

TEST(CertificateAuthority, ScenarioNameMayBeAnyUtf8) {
  CryptoContext crypto = make_crypto(1);
  auto ca = CertificateAuthority::create(crypto, "Zwei Domänen, \"eins\"", kOneYear);
  ASSERT_TRUE(ca.ok());
  // RFC 2253 escapes the comma and the quotes; the umlaut stays as it is.
  EXPECT_EQ(ca->certificate().summary().subject,
            "CN=MailScope Scenario CA, O=Zwei Domänen\\, \\\"eins\\\"");
}

TEST(CertificateAuthority, RefusedRequests) {
  struct Case {
    const char* title;
    CertificateRequest request;
    const char* where;
    std::size_t offset;
  };
  const std::vector<std::string> seventeen(17, "a.test");
  const Case cases[] = {
      {"no name", {{}, kOneYear}, "dns_names", 0},
      {"too many names", {seventeen, kOneYear}, "dns_names", 0},
      {"empty name", {{""}, kOneYear}, "hostname", 0},
      {"space", {{"mx example.test"}, kOneYear}, "hostname", 2},
      {"comma would inject a SAN", {{"a.test,DNS:b.test"}, kOneYear}, "hostname", 6},
      {"empty label", {{"mx..test"}, kOneYear}, "hostname", 0},
      {"trailing dot", {{"mx.test."}, kOneYear}, "hostname", 0},
      {"bare wildcard", {{"*."}, kOneYear}, "hostname", 0},
      {"wildcard not leftmost", {{"mx.*.test"}, kOneYear}, "hostname", 3},
      {"254 characters", {{std::string(250, 'a') + ".com"}, kOneYear}, "hostname", 0},
      {"ends before it starts", {{"mx.test"}, {kNow, kNow - 1}}, "validity", 0},
  };
  TlsPair pair;
  for (const Case& test : cases) {
    SCOPED_TRACE(test.title);
    auto issued = pair.ca.issue(test.request);
    ASSERT_FALSE(issued.ok());
    EXPECT_EQ(issued.error().where, test.where);
    EXPECT_EQ(issued.error().offset, test.offset);
  }
  // A refused request uses no serial number.
  EXPECT_EQ(issue(pair.ca, {{"ok.test"}, kOneYear}).certificate.summary().serial, 2u);

  CryptoContext crypto = make_crypto(1);
  EXPECT_FALSE(CertificateAuthority::create(crypto, "", kOneYear).ok());
  EXPECT_FALSE(CertificateAuthority::create(crypto, std::string(65, 'x'), kOneYear).ok());
  EXPECT_FALSE(CertificateAuthority::create(crypto, "ok", {1, 0}).ok());
}

TEST(CertificateAuthority, CertificatesOutliveTheirAuthorityAndContext) {
  std::optional<Credentials> kept;
  {
    CryptoContext crypto = make_crypto(1);
    CertificateAuthority ca = make_ca(crypto, "Short-lived");
    kept = issue(ca, {{"mx.example.test"}, kOneYear});
  }
  // The handles keep the OpenSSL library context alive.
  EXPECT_EQ(kept->certificate.summary().subject, "CN=mx.example.test, O=Short-lived");
  EXPECT_THAT(kept->key.pem(), StartsWith("-----BEGIN PRIVATE KEY-----"));
}

}  // namespace
}  // namespace mailscope::tls::testing
