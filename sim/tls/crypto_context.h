#pragma once
// CryptoContext: one simulated world's private OpenSSL library context. Its random generator is
// keyed from the world's Rng, so certificates, key pairs and TLS handshakes repeat exactly for a
// given seed, and nothing here touches OpenSSL's process-wide default context.
//
// Every OpenSSL object MailScope creates (keys, certificates, SSL_CTX, SSL) belongs to one
// CryptoContext and keeps it alive through a shared handle, so no object can outlive the library
// context it was made in, whatever order a World destroys its members.

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/rng.h"

namespace mailscope::tls {

class CryptoContext {
 public:
  // Draws 32 bytes from `rng` as the generator's key; pass a stream forked for TLS.
  static Result<CryptoContext> create(Rng& rng);

  OSSL_LIB_CTX* native() const;
  // Shared ownership of the library context, for deleters of objects created in it.
  std::shared_ptr<void> keep_alive() const { return m_holder; }

 private:
  struct Holder;
  explicit CryptoContext(std::shared_ptr<Holder> holder) : m_holder(std::move(holder)) {}

  std::shared_ptr<Holder> m_holder;  // never null
};

// Takes OpenSSL's error queue of this thread (emptying it) as one line: the reason strings,
// separated by "; ". Returns `fallback` when the queue was empty.
std::string take_openssl_errors(std::string_view fallback);

}  // namespace mailscope::tls
