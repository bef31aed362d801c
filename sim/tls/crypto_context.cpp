#include "tls/crypto_context.h"

#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "tls/seeded_random_provider.h"

namespace mailscope::tls {

struct CryptoContext::Holder {
  OSSL_LIB_CTX* libctx = nullptr;
  OSSL_PROVIDER* random_provider = nullptr;
  OSSL_PROVIDER* default_provider = nullptr;

  Holder() = default;
  Holder(const Holder&) = delete;
  Holder& operator=(const Holder&) = delete;
  ~Holder() {
    if (default_provider != nullptr) OSSL_PROVIDER_unload(default_provider);
    if (random_provider != nullptr) OSSL_PROVIDER_unload(random_provider);
    if (libctx != nullptr) OSSL_LIB_CTX_free(libctx);
  }
};

Result<CryptoContext> CryptoContext::create(Rng& rng) {
  ChaChaKey seed{};
  for (std::size_t i = 0; i < seed.size(); i += 8) {
    const std::uint64_t word = rng.next_u64();
    for (std::size_t j = 0; j < 8; ++j)
      seed[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
  }

  ERR_clear_error();
  auto holder = std::make_shared<Holder>();
  holder->libctx = OSSL_LIB_CTX_new();
  if (holder->libctx == nullptr) {
    return make_error(take_openssl_errors("cannot create an OpenSSL library context"), "tls");
  }
  if (OSSL_PROVIDER_add_builtin(holder->libctx, kSeededRandomProviderName,
                                &seeded_random_provider_init) != 1) {
    return make_error(take_openssl_errors("cannot register the seeded random provider"), "tls");
  }
  holder->random_provider = OSSL_PROVIDER_load(holder->libctx, kSeededRandomProviderName);
  holder->default_provider = OSSL_PROVIDER_load(holder->libctx, "default");
  if (holder->random_provider == nullptr || holder->default_provider == nullptr) {
    return make_error(take_openssl_errors("cannot load the OpenSSL providers"), "tls");
  }
  // Must happen before anything draws randomness in this context: OpenSSL creates its
  // generators on first use, with the type configured at that moment.
  if (RAND_set_DRBG_type(holder->libctx, kSeededRandomAlgorithm, nullptr, nullptr, nullptr) != 1) {
    return make_error(take_openssl_errors("cannot select the seeded random generator"), "tls");
  }
  if (!seeded_random_set_seed(RAND_get0_primary(holder->libctx), seed)) {
    return make_error(take_openssl_errors("cannot seed the random generator"), "tls");
  }
  return CryptoContext(std::move(holder));
}

OSSL_LIB_CTX* CryptoContext::native() const {
  return m_holder->libctx;
}

std::string take_openssl_errors(std::string_view fallback) {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(code);
    if (!out.empty()) out += "; ";
    out += reason != nullptr ? reason : "error " + std::to_string(ERR_GET_REASON(code));
  }
  return out.empty() ? std::string(fallback) : out;
}

}  // namespace mailscope::tls
