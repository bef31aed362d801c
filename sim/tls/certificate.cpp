#include "tls/certificate.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "tls/openssl_handles.h"

namespace mailscope::tls {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's civil-days algorithm).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

// An ASN1_TIME as seconds since the epoch; converting by hand keeps the local time zone and the
// wall clock out of it.
std::int64_t to_epoch_seconds(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
  const std::int64_t days =
      days_from_civil(std::int64_t{tm.tm_year} + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                      static_cast<unsigned>(tm.tm_mday));
  return days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

}  // namespace

Certificate Certificate::share(const CryptoContext& crypto, X509* x509) {
  X509_up_ref(x509);
  return Certificate(
      std::shared_ptr<X509>(x509, [keep = crypto.keep_alive()](X509* x) { X509_free(x); }));
}

std::string Certificate::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), m_x509.get()) != 1) return {};
  return bio_contents(bio.get());
}

CertificateSummary Certificate::summary() const {
  return summarize_certificate(m_x509.get());
}

CertificateSummary summarize_certificate(X509* x) {
  CertificateSummary out;
  out.subject = format_name(X509_get_subject_name(x));
  out.issuer = format_name(X509_get_issuer_name(x));
  out.validity.not_before_s = to_epoch_seconds(X509_get0_notBefore(x));
  out.validity.not_after_s = to_epoch_seconds(X509_get0_notAfter(x));
  std::uint64_t serial = 0;
  if (ASN1_INTEGER_get_uint64(&serial, X509_get0_serialNumber(x)) == 1) out.serial = serial;
  out.is_ca = X509_check_ca(x) != 0;

  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
      if (name->type != GEN_DNS) continue;
      const ASN1_STRING* dns = name->d.dNSName;
      out.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                 static_cast<std::size_t>(ASN1_STRING_length(dns)));
    }
    GENERAL_NAMES_free(names);
  }
  return out;
}

PrivateKey PrivateKey::adopt(const CryptoContext& crypto, EVP_PKEY* key) {
  return PrivateKey(std::shared_ptr<EVP_PKEY>(
      key, [keep = crypto.keep_alive()](EVP_PKEY* k) { EVP_PKEY_free(k); }));
}

std::string PrivateKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return {};
  }
  return bio_contents(bio.get());
}

std::string format_name(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || name == nullptr) return {};
  // RFC 2253 escaping and order (most specific first), but ", " between parts for readability
  // and UTF-8 left as it is, so that a scenario name in any language prints as written.
  const unsigned long flags = (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) |
                              XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_DN_REV | XN_FLAG_FN_SN;
  if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) return {};
  return bio_contents(bio.get());
}

}  // namespace mailscope::tls
