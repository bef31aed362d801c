#include "tls/seeded_random_provider.h"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <climits>
#include <cstring>
#include <mutex>
#include <optional>

namespace mailscope::tls {
namespace {

// Strength claimed towards OpenSSL: ChaCha20 has a 256-bit key.
constexpr unsigned int kStrengthBits = 256;
// Largest single request; OpenSSL splits bigger ones.
constexpr std::size_t kMaxRequestBytes = 1 << 16;

extern const OSSL_DISPATCH kRandFunctions[];

// One generator instance. Invariant: `stream` is set once the instance has a key, and from then
// on every byte it hands out comes from that stream, in order.
struct SeededRandom {
  SeededRandom* parent = nullptr;  // our own parent generator, or null for the root
  int state = EVP_RAND_STATE_UNINITIALISED;
  bool locking = false;
  std::mutex mutex;
  std::optional<ChaChaStream> stream;

  // Gives the instance its key from the parent on first use; the root must have been seeded.
  bool ensure_keyed() {
    if (stream) return true;
    if (parent == nullptr) return false;
    ChaChaKey key{};
    if (!parent->draw(key.data(), key.size())) return false;
    stream.emplace(key);
    return true;
  }

  // Draws bytes while holding this instance's lock (used when a child pulls its key).
  bool draw(std::uint8_t* out, std::size_t size) {
    std::unique_lock<std::mutex> lock(mutex, std::defer_lock);
    if (locking) lock.lock();
    if (!ensure_keyed()) return false;
    stream->fill(out, size);
    return true;
  }
};

SeededRandom* as_random(void* ctx) {
  return static_cast<SeededRandom*>(ctx);
}

void* rand_new(void* /*provider_context*/, void* parent, const OSSL_DISPATCH* parent_dispatch) {
  auto* random = new SeededRandom();
  // A parent from another provider (OpenSSL's own seed source) is ignored: this instance is then
  // a root and waits for set_seed, so that the operating system's entropy never leaks in.
  if (parent != nullptr && parent_dispatch == kRandFunctions) random->parent = as_random(parent);
  return random;
}

void rand_free(void* ctx) {
  delete as_random(ctx);
}

int rand_instantiate(void* ctx, unsigned int strength, int /*prediction_resistance*/,
                     const unsigned char* /*personalisation*/, std::size_t /*personalisation_len*/,
                     const OSSL_PARAM /*params*/[]) {
  if (strength > kStrengthBits) return 0;
  as_random(ctx)->state = EVP_RAND_STATE_READY;
  return 1;
}

int rand_uninstantiate(void* ctx) {
  as_random(ctx)->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}

// Additional input and prediction resistance are ignored on purpose: both would bring in
// outside entropy, which a reproducible simulation must not have. The EVP layer already holds
// this instance's lock when it calls generate.
int rand_generate(void* ctx, unsigned char* out, std::size_t size, unsigned int strength,
                  int /*prediction_resistance*/, const unsigned char* /*additional*/,
                  std::size_t /*additional_len*/) {
  SeededRandom* random = as_random(ctx);
  if (strength > kStrengthBits || random->state != EVP_RAND_STATE_READY) return 0;
  if (!random->ensure_keyed()) return 0;
  random->stream->fill(out, size);
  return 1;
}

int rand_reseed(void* /*ctx*/, int /*prediction_resistance*/, const unsigned char* /*entropy*/,
                std::size_t /*entropy_len*/, const unsigned char* /*additional*/,
                std::size_t /*additional_len*/) {
  return 1;  // reseeding from outside would break reproducibility
}

int rand_enable_locking(void* ctx) {
  as_random(ctx)->locking = true;
  return 1;
}

int rand_lock(void* ctx) {
  SeededRandom* random = as_random(ctx);
  if (random->locking) random->mutex.lock();
  return 1;
}

void rand_unlock(void* ctx) {
  SeededRandom* random = as_random(ctx);
  if (random->locking) random->mutex.unlock();
}

int rand_get_ctx_params(void* ctx, OSSL_PARAM params[]) {
  SeededRandom* random = as_random(ctx);
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE);
  if (p != nullptr && !OSSL_PARAM_set_int(p, random->state)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH);
  if (p != nullptr && !OSSL_PARAM_set_uint(p, kStrengthBits)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST);
  if (p != nullptr && !OSSL_PARAM_set_size_t(p, kMaxRequestBytes)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_DRBG_PARAM_RESEED_COUNTER);
  if (p != nullptr && !OSSL_PARAM_set_uint(p, 1)) return 0;
  return 1;
}

const OSSL_PARAM* rand_gettable_ctx_params(void* /*ctx*/, void* /*provider_context*/) {
  static const OSSL_PARAM kGettable[] = {
      OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, nullptr),
      OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, nullptr),
      OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, nullptr),
      OSSL_PARAM_uint(OSSL_DRBG_PARAM_RESEED_COUNTER, nullptr),
      OSSL_PARAM_END,
  };
  return kGettable;
}

int rand_set_ctx_params(void* ctx, const OSSL_PARAM params[]) {
  SeededRandom* random = as_random(ctx);
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, kSeededRandomSeedParam);
  if (p == nullptr) return 1;  // other settings (cipher, digest, reseed intervals) do not apply
  ChaChaKey key{};
  void* dest = key.data();
  std::size_t used = 0;
  if (random->parent != nullptr || random->stream) return 0;  // only an unkeyed root takes a seed
  if (!OSSL_PARAM_get_octet_string(p, &dest, key.size(), &used) || used != key.size()) return 0;
  random->stream.emplace(key);
  return 1;
}

const OSSL_PARAM* rand_settable_ctx_params(void* /*ctx*/, void* /*provider_context*/) {
  static const OSSL_PARAM kSettable[] = {
      OSSL_PARAM_octet_string(kSeededRandomSeedParam, nullptr, 0),
      OSSL_PARAM_END,
  };
  return kSettable;
}

int rand_verify_zeroization(void* /*ctx*/) {
  return 1;
}

template <typename Fn>
void (*erase(Fn fn))(void) {
  return reinterpret_cast<void (*)(void)>(fn);
}

const OSSL_DISPATCH kRandFunctions[] = {
    {OSSL_FUNC_RAND_NEWCTX, erase(&rand_new)},
    {OSSL_FUNC_RAND_FREECTX, erase(&rand_free)},
    {OSSL_FUNC_RAND_INSTANTIATE, erase(&rand_instantiate)},
    {OSSL_FUNC_RAND_UNINSTANTIATE, erase(&rand_uninstantiate)},
    {OSSL_FUNC_RAND_GENERATE, erase(&rand_generate)},
    {OSSL_FUNC_RAND_RESEED, erase(&rand_reseed)},
    {OSSL_FUNC_RAND_ENABLE_LOCKING, erase(&rand_enable_locking)},
    {OSSL_FUNC_RAND_LOCK, erase(&rand_lock)},
    {OSSL_FUNC_RAND_UNLOCK, erase(&rand_unlock)},
    {OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, erase(&rand_gettable_ctx_params)},
    {OSSL_FUNC_RAND_GET_CTX_PARAMS, erase(&rand_get_ctx_params)},
    {OSSL_FUNC_RAND_SETTABLE_CTX_PARAMS, erase(&rand_settable_ctx_params)},
    {OSSL_FUNC_RAND_SET_CTX_PARAMS, erase(&rand_set_ctx_params)},
    {OSSL_FUNC_RAND_VERIFY_ZEROIZATION, erase(&rand_verify_zeroization)},
    {0, nullptr},
};

const OSSL_ALGORITHM kRandAlgorithms[] = {
    {kSeededRandomAlgorithm, "provider=mailscope-seeded-random", kRandFunctions,
     "ChaCha20 keystream keyed from the simulation seed"},
    {nullptr, nullptr, nullptr, nullptr},
};

const OSSL_ALGORITHM* query_operation(void* /*provider_context*/, int operation_id, int* no_cache) {
  *no_cache = 0;
  return operation_id == OSSL_OP_RAND ? kRandAlgorithms : nullptr;
}

const OSSL_DISPATCH kProviderFunctions[] = {
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, erase(&query_operation)},
    {0, nullptr},
};

}  // namespace

int seeded_random_provider_init(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* /*in*/,
                                const OSSL_DISPATCH** out, void** provider_context) {
  *out = kProviderFunctions;
  // The provider keeps no state of its own; the handle only gives OpenSSL a non-null context.
  *provider_context = const_cast<OSSL_CORE_HANDLE*>(handle);
  return 1;
}

bool seeded_random_set_seed(EVP_RAND_CTX* primary, const ChaChaKey& seed) {
  if (primary == nullptr) return false;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(kSeededRandomSeedParam,
                                        const_cast<std::uint8_t*>(seed.data()), seed.size()),
      OSSL_PARAM_construct_end(),
  };
  return EVP_RAND_CTX_set_params(primary, params) == 1;
}

}  // namespace mailscope::tls
