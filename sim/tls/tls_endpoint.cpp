#include "tls/tls_endpoint.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <vector>

#include "tls/certificate_authority.h"
#include "tls/handshake_names.h"

namespace mailscope::tls {
namespace {

// OpenSSL never puts more than this in one record; larger writes are cut into records anyway.
constexpr std::size_t kChunkBytes = 16384;

int protocol_version(TlsVersion version) {
  return version == TlsVersion::Tls12 ? TLS1_2_VERSION : TLS1_3_VERSION;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0f];
  }
  return out;
}

// Something that happened inside an OpenSSL call, kept until the call has returned.
struct PendingEvent {
  enum class Kind { Message, Alert, Keylog, StateChange } kind = Kind::Message;
  TlsDirection direction = TlsDirection::Sent;
  std::string text;  // message name or key log line
  TlsAlert alert;
  TlsState from = TlsState::Handshaking;
  TlsState to = TlsState::Handshaking;
};

}  // namespace

struct TlsEndpoint::Impl {
  std::shared_ptr<SSL_CTX> ctx;  // its deleter keeps the CryptoContext alive
  SSL* ssl = nullptr;            // owns both memory BIOs
  BIO* network_in = nullptr;     // ciphertext fed in, waiting for OpenSSL to read it
  BIO* network_out = nullptr;    // ciphertext OpenSSL wrote, waiting for take_outgoing()
  TlsVerifyMode verify_mode = TlsVerifyMode::Require;
  TlsState state = TlsState::Handshaking;
  TlsInfo info;
  TlsHooks hooks;
  wire::Bytes plaintext_out;  // accepted by write(), not yet encrypted (waits for the handshake)
  wire::Bytes plaintext_in;   // decrypted, not yet read; at most kPlaintextInMax bytes
  std::vector<PendingEvent> events;  // recorded inside OpenSSL calls, dispatched after them
  bool dispatching = false;          // true while hooks run, so nested calls do not re-dispatch

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (ssl != nullptr) SSL_free(ssl);
  }

  void enter_state(TlsState next) {
    if (next == state) return;
    PendingEvent event;
    event.kind = PendingEvent::Kind::StateChange;
    event.from = state;
    event.to = next;
    state = next;
    events.push_back(std::move(event));
  }

  void fail(std::string_view fallback) {
    std::string reason = take_openssl_errors(fallback);
    if (reason.find("certificate verify failed") != std::string::npos &&
        !info.verification.message.empty()) {
      reason += ": " + info.verification.message;
    }
    info.failure = std::move(reason);
    plaintext_out.clear();
    enter_state(TlsState::Failed);
  }

  void refresh_client_random() {
    std::array<std::uint8_t, SSL3_RANDOM_SIZE> random{};
    if (SSL_get_client_random(ssl, random.data(), random.size()) != random.size()) return;
    if (std::all_of(random.begin(), random.end(), [](std::uint8_t b) { return b == 0; })) return;
    info.client_random_hex = to_hex(random.data(), random.size());
  }

  void on_handshake_done() {
    info.version = SSL_get_version(ssl);
    info.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
    if (const char* group = SSL_group_to_name(ssl, SSL_get_negotiated_group(ssl))) {
      info.group = group;
    }
    if (info.role == TlsRole::Server) {
      if (const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) {
        info.server_name = name;
      }
    }
    refresh_client_random();
    if (info.role == TlsRole::Client && info.verification.checked &&
        info.verification.problems.empty()) {
      info.verification.code = X509_V_OK;
      info.verification.message = X509_verify_cert_error_string(X509_V_OK);
    }
    enter_state(TlsState::Established);
  }

  // Moves the connection forward as far as the bytes at hand allow.
  void drive() {
    if (state == TlsState::Handshaking) {
      ERR_clear_error();
      const int rc = SSL_do_handshake(ssl);
      refresh_client_random();
      if (rc == 1) {
        on_handshake_done();
      } else {
        const int error = SSL_get_error(ssl, rc);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
          fail("handshake failed");
          return;
        }
      }
    }
    if (state == TlsState::Established) flush_plaintext();
    if (state == TlsState::Established || state == TlsState::Closing) pump_reads();
  }

  void flush_plaintext() {
    std::size_t offset = 0;
    while (offset < plaintext_out.size()) {
      const std::size_t chunk = std::min(kChunkBytes, plaintext_out.size() - offset);
      std::size_t written = 0;
      ERR_clear_error();
      if (SSL_write_ex(ssl, plaintext_out.data() + offset, chunk, &written) != 1) {
        fail("cannot encrypt application data");
        return;
      }
      offset += written;
    }
    plaintext_out.clear();
  }

  void pump_reads() {
    std::array<std::uint8_t, kChunkBytes> buffer{};
    while (plaintext_in.size() < kPlaintextInMax) {
      const std::size_t want = std::min(buffer.size(), kPlaintextInMax - plaintext_in.size());
      std::size_t got = 0;
      ERR_clear_error();
      const int rc = SSL_read_ex(ssl, buffer.data(), want, &got);
      if (rc == 1) {
        plaintext_in.insert(plaintext_in.end(), buffer.begin(), buffer.begin() + got);
        continue;
      }
      const int error = SSL_get_error(ssl, rc);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
      if (error == SSL_ERROR_ZERO_RETURN) {
        on_close_notify_received();
        return;
      }
      fail("cannot decrypt a record");
      return;
    }
  }

  void on_close_notify_received() {
    info.close_notify_received = true;
    if (!info.close_notify_sent) {
      // TLS 1.2 requires an answering close_notify; TLS 1.3 allows a half-close, but mail
      // protocols end the whole session, so both versions answer at once.
      ERR_clear_error();
      SSL_shutdown(ssl);
      ERR_clear_error();
      info.close_notify_sent = true;
    }
    enter_state(TlsState::Closed);
  }

  void dispatch() {
    if (dispatching) return;
    dispatching = true;
    while (!events.empty()) {
      std::vector<PendingEvent> batch;
      batch.swap(events);
      for (const PendingEvent& event : batch)
        deliver(event);
    }
    dispatching = false;
  }

  void deliver(const PendingEvent& event) const {
    switch (event.kind) {
      case PendingEvent::Kind::Message:
        if (hooks.on_message) hooks.on_message(event.direction, event.text);
        break;
      case PendingEvent::Kind::Alert:
        if (hooks.on_alert) hooks.on_alert(event.direction, event.alert);
        break;
      case PendingEvent::Kind::Keylog:
        if (hooks.on_keylog) hooks.on_keylog(event.text);
        break;
      case PendingEvent::Kind::StateChange:
        if (hooks.on_state_change) hooks.on_state_change(event.from, event.to);
        break;
    }
  }

  static Impl* from(const SSL* ssl) { return static_cast<Impl*>(SSL_get_app_data(ssl)); }
};

namespace {

void on_openssl_message(int write_p, int /*version*/, int content_type, const void* buf,
                        std::size_t len, SSL* ssl, void* /*arg*/) {
  TlsEndpoint::Impl* impl = TlsEndpoint::Impl::from(ssl);
  if (impl == nullptr) return;
  const wire::ByteView bytes(static_cast<const std::uint8_t*>(buf), len);
  PendingEvent event;
  event.direction = write_p != 0 ? TlsDirection::Sent : TlsDirection::Received;
  switch (content_type) {
    case SSL3_RT_HANDSHAKE:
      event.kind = PendingEvent::Kind::Message;
      event.text = handshake_message_name(bytes);
      break;
    case SSL3_RT_CHANGE_CIPHER_SPEC:
      // OpenSSL 3.0 reports the ChangeCipherSpec it sends but not the one it receives; the
      // received one is taken from its record header below instead, so it is never counted twice.
      if (event.direction == TlsDirection::Received) return;
      event.kind = PendingEvent::Kind::Message;
      event.text = "ChangeCipherSpec";
      break;
    case SSL3_RT_HEADER:
      if (event.direction == TlsDirection::Sent || bytes.empty() ||
          bytes[0] != SSL3_RT_CHANGE_CIPHER_SPEC) {
        return;
      }
      event.kind = PendingEvent::Kind::Message;
      event.text = "ChangeCipherSpec";
      break;
    case SSL3_RT_ALERT:
      if (bytes.size() < 2) return;
      event.kind = PendingEvent::Kind::Alert;
      event.alert.fatal = bytes[0] == SSL3_AL_FATAL;
      event.alert.description = bytes[1];
      event.alert.name = alert_name(bytes[1]);
      break;
    default:
      return;  // other record headers and inner content types are visible in the pcap already
  }
  impl->events.push_back(std::move(event));
}

void on_openssl_keylog(const SSL* ssl, const char* line) {
  TlsEndpoint::Impl* impl = TlsEndpoint::Impl::from(ssl);
  if (impl == nullptr || line == nullptr) return;
  PendingEvent event;
  event.kind = PendingEvent::Kind::Keylog;
  event.text = line;
  impl->events.push_back(std::move(event));
}

// Records every problem OpenSSL finds in the peer's chain. In Report mode it lets the handshake
// go on, so one certificate can show several problems (expired and for the wrong name).
int on_openssl_verify(int preverify_ok, X509_STORE_CTX* store) {
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  TlsEndpoint::Impl* impl = ssl != nullptr ? TlsEndpoint::Impl::from(ssl) : nullptr;
  if (impl == nullptr) return preverify_ok;
  TlsVerification& verification = impl->info.verification;
  verification.checked = true;
  if (!impl->info.peer_certificate) {
    if (X509* leaf = X509_STORE_CTX_get0_cert(store)) {
      impl->info.peer_certificate = summarize_certificate(leaf);
    }
  }
  if (preverify_ok == 0) {
    const int code = X509_STORE_CTX_get_error(store);
    const std::string message = X509_verify_cert_error_string(code);
    if (verification.problems.empty()) {
      verification.code = code;
      verification.message = message;
    }
    const std::string problem =
        message + " (depth " + std::to_string(X509_STORE_CTX_get_error_depth(store)) + ")";
    if (std::find(verification.problems.begin(), verification.problems.end(), problem) ==
        verification.problems.end()) {
      verification.problems.push_back(problem);
    }
  }
  return impl->verify_mode == TlsVerifyMode::Report ? 1 : preverify_ok;
}

Result<std::shared_ptr<SSL_CTX>> make_context(const CryptoContext& crypto, TlsRole role,
                                              TlsVersion min_version, TlsVersion max_version) {
  if (protocol_version(min_version) > protocol_version(max_version)) {
    return make_error("minimum TLS version is above the maximum", "min_version");
  }
  ERR_clear_error();
  const SSL_METHOD* method = role == TlsRole::Client ? TLS_client_method() : TLS_server_method();
  SSL_CTX* raw = SSL_CTX_new_ex(crypto.native(), nullptr, method);
  if (raw == nullptr) return make_error(take_openssl_errors("cannot create SSL_CTX"), "tls");
  std::shared_ptr<SSL_CTX> ctx(raw, [keep = crypto.keep_alive()](SSL_CTX* c) { SSL_CTX_free(c); });

  if (SSL_CTX_set_min_proto_version(raw, protocol_version(min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(raw, protocol_version(max_version)) != 1) {
    return make_error(take_openssl_errors("cannot set TLS versions"), "tls");
  }
  // No renegotiation: it is not part of TLS 1.3 and mail clients do not need it. No middlebox
  // compatibility mode, so a TLS 1.3 handshake shows only RFC 8446's messages (no dummy
  // ChangeCipherSpec). No stateless tickets: they embed the wall-clock time, and a server then
  // sends one stateful ticket instead, whose bytes depend on the seed only.
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  SSL_CTX_clear_options(raw, SSL_OP_ENABLE_MIDDLEBOX_COMPAT);
  if (role == TlsRole::Server) SSL_CTX_set_num_tickets(raw, 1);
  SSL_CTX_set_msg_callback(raw, &on_openssl_message);
  SSL_CTX_set_keylog_callback(raw, &on_openssl_keylog);
  return ctx;
}

}  // namespace

TlsEndpoint::TlsEndpoint(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TlsEndpoint::TlsEndpoint(TlsEndpoint&&) noexcept = default;
TlsEndpoint& TlsEndpoint::operator=(TlsEndpoint&&) noexcept = default;
TlsEndpoint::~TlsEndpoint() = default;

namespace {

// The parts client() and server() share: an SSL over two memory BIOs, linked back to `impl`.
std::optional<Error> attach_ssl(TlsEndpoint::Impl& impl) {
  impl.ssl = SSL_new(impl.ctx.get());
  if (impl.ssl == nullptr) return make_error(take_openssl_errors("cannot create SSL"), "tls");
  impl.network_in = BIO_new(BIO_s_mem());
  impl.network_out = BIO_new(BIO_s_mem());
  if (impl.network_in == nullptr || impl.network_out == nullptr) {
    BIO_free(impl.network_in);
    BIO_free(impl.network_out);
    return make_error(take_openssl_errors("cannot create memory BIOs"), "tls");
  }
  // An empty input BIO means "more bytes may come", not end of stream.
  BIO_set_mem_eof_return(impl.network_in, -1);
  SSL_set_bio(impl.ssl, impl.network_in, impl.network_out);
  SSL_set_app_data(impl.ssl, &impl);
  return std::nullopt;
}

}  // namespace

Result<TlsEndpoint> TlsEndpoint::client(const CryptoContext& crypto,
                                        const TlsClientConfig& config) {
  if (!config.server_name.empty()) {
    if (auto error = check_hostname(config.server_name)) {
      Error e = *error;
      e.where = "server_name";
      return e;
    }
  }
  auto ctx = make_context(crypto, TlsRole::Client, config.min_version, config.max_version);
  if (!ctx) return ctx.error();
  X509_STORE* store = SSL_CTX_get_cert_store(ctx->get());
  for (const Certificate& ca : config.trusted_cas) {
    if (X509_STORE_add_cert(store, ca.native()) != 1) {
      return make_error(take_openssl_errors("cannot add a trusted CA"), "trusted_cas");
    }
  }
  SSL_CTX_set_verify(ctx->get(), SSL_VERIFY_PEER, &on_openssl_verify);

  auto impl = std::make_unique<Impl>();
  impl->ctx = std::move(*ctx);
  impl->verify_mode = config.verify_mode;
  impl->info.role = TlsRole::Client;
  impl->info.server_name = config.server_name;
  if (auto error = attach_ssl(*impl)) return *error;

  X509_VERIFY_PARAM* param = SSL_get0_param(impl->ssl);
  // The virtual date, never the wall clock: a lesson's expired certificate stays expired.
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(config.verify_time_s));
  if (!config.server_name.empty()) {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set_tlsext_host_name(impl->ssl, config.server_name.c_str()) != 1 ||
        SSL_set1_host(impl->ssl, config.server_name.c_str()) != 1) {
      return make_error(take_openssl_errors("cannot set the server name"), "server_name");
    }
  }
  SSL_set_connect_state(impl->ssl);
  return TlsEndpoint(std::move(impl));
}

Result<TlsEndpoint> TlsEndpoint::server(const CryptoContext& crypto,
                                        const TlsServerConfig& config) {
  auto ctx = make_context(crypto, TlsRole::Server, config.min_version, config.max_version);
  if (!ctx) return ctx.error();
  SSL_CTX* raw = ctx->get();
  // Send exactly the configured certificate: automatic chain building would run a verification
  // against the wall clock, and the scenario CA is the client's trust anchor anyway.
  SSL_CTX_set_mode(raw, SSL_MODE_NO_AUTO_CHAIN);
  if (SSL_CTX_use_certificate(raw, config.credentials.certificate.native()) != 1 ||
      SSL_CTX_use_PrivateKey(raw, config.credentials.key.native()) != 1 ||
      SSL_CTX_check_private_key(raw) != 1) {
    return make_error(take_openssl_errors("certificate and key do not fit"), "credentials");
  }

  auto impl = std::make_unique<Impl>();
  impl->ctx = std::move(*ctx);
  impl->info.role = TlsRole::Server;
  if (auto error = attach_ssl(*impl)) return *error;
  SSL_set_accept_state(impl->ssl);
  return TlsEndpoint(std::move(impl));
}

void TlsEndpoint::set_hooks(TlsHooks hooks) {
  m_impl->hooks = std::move(hooks);
}

void TlsEndpoint::feed(wire::ByteView ciphertext) {
  Impl& impl = *m_impl;
  if (impl.state == TlsState::Closed || impl.state == TlsState::Failed) return;
  std::size_t offset = 0;
  while (offset < ciphertext.size()) {
    const std::size_t chunk = std::min<std::size_t>(ciphertext.size() - offset, INT32_MAX);
    const int written =
        BIO_write(impl.network_in, ciphertext.data() + offset, static_cast<int>(chunk));
    if (written <= 0) {
      impl.fail("cannot buffer incoming bytes");
      break;
    }
    offset += static_cast<std::size_t>(written);
  }
  impl.drive();
  impl.dispatch();
}

wire::Bytes TlsEndpoint::take_outgoing() {
  Impl& impl = *m_impl;
  if (impl.state == TlsState::Handshaking) impl.drive();
  wire::Bytes out(BIO_ctrl_pending(impl.network_out));
  if (!out.empty()) {
    const int got = BIO_read(impl.network_out, out.data(), static_cast<int>(out.size()));
    out.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  }
  impl.dispatch();
  return out;
}

std::size_t TlsEndpoint::write(wire::ByteView plaintext) {
  Impl& impl = *m_impl;
  if (impl.state != TlsState::Handshaking && impl.state != TlsState::Established) return 0;
  const std::size_t queued = impl.plaintext_out.size() + BIO_ctrl_pending(impl.network_out);
  const std::size_t room = queued < kOutgoingMax ? kOutgoingMax - queued : 0;
  const std::size_t accepted = std::min(room, plaintext.size());
  impl.plaintext_out.insert(impl.plaintext_out.end(), plaintext.begin(),
                            plaintext.begin() + static_cast<std::ptrdiff_t>(accepted));
  impl.drive();
  impl.dispatch();
  return accepted;
}

wire::Bytes TlsEndpoint::read() {
  Impl& impl = *m_impl;
  wire::Bytes out;
  out.swap(impl.plaintext_in);
  // Ciphertext left waiting because the plaintext buffer was full can be decrypted now.
  if (impl.state == TlsState::Established || impl.state == TlsState::Closing) impl.drive();
  impl.dispatch();
  return out;
}

void TlsEndpoint::close() {
  Impl& impl = *m_impl;
  if (impl.state == TlsState::Handshaking) {
    impl.plaintext_out.clear();
    impl.enter_state(TlsState::Closed);
  } else if (impl.state == TlsState::Established) {
    impl.flush_plaintext();
    if (impl.state == TlsState::Established) {
      ERR_clear_error();
      const int rc = SSL_shutdown(impl.ssl);
      if (rc < 0) {
        impl.fail("cannot send close_notify");
      } else {
        impl.info.close_notify_sent = true;
        impl.enter_state(TlsState::Closing);
      }
    }
  }
  impl.dispatch();
}

TlsState TlsEndpoint::state() const {
  return m_impl->state;
}
const TlsInfo& TlsEndpoint::info() const {
  return m_impl->info;
}
SSL* TlsEndpoint::native() const {
  return m_impl->ssl;
}

}  // namespace mailscope::tls
