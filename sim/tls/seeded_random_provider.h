#pragma once
// An OpenSSL provider with one algorithm, a deterministic random generator (DRBG) driven by
// ChaCha20. CryptoContext installs it as the DRBG of its own OSSL_LIB_CTX, so that everything
// OpenSSL draws there (key pairs, ECDSA nonces, client and server randoms, session IDs) follows
// the simulation's seed. OpenSSL's process-wide default context is left untouched.
//
// OpenSSL builds a tree of generators: a primary one, and per thread a public and a private one
// seeded from it. The primary one is the root here and waits for its key (set_seed below); every
// generator below it takes its key from its parent's stream on its first draw.

#include <openssl/core.h>
#include <openssl/types.h>

#include "tls/chacha20.h"

namespace mailscope::tls {

// The provider's name as registered with OSSL_PROVIDER_add_builtin.
inline constexpr const char* kSeededRandomProviderName = "mailscope-seeded-random";
// The generator's algorithm name, as passed to RAND_set_DRBG_type.
inline constexpr const char* kSeededRandomAlgorithm = "MAILSCOPE-CHACHA20-DRBG";
// The OSSL_PARAM (octet string, 32 bytes) that keys a root generator.
inline constexpr const char* kSeededRandomSeedParam = "mailscope-seed";

// Provider entry point, for OSSL_PROVIDER_add_builtin.
int seeded_random_provider_init(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* in,
                                const OSSL_DISPATCH** out, void** provider_context);

// Keys the root generator behind `primary` (RAND_get0_primary of a context using this provider).
// Returns false when `primary` is not one of ours or the key was refused.
bool seeded_random_set_seed(EVP_RAND_CTX* primary, const ChaChaKey& seed);

}  // namespace mailscope::tls
