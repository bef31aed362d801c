#pragma once
// TlsEndpoint: one side of one TLS connection, sans-I/O. OpenSSL runs over two memory BIOs:
// ciphertext from the virtual TCP stream goes in through feed(), ciphertext for it comes out of
// take_outgoing(); the application writes and reads plaintext. Nothing here opens a socket or
// reads a clock, so the same endpoint serves a simulated host, a unit test or a fuzzer.
//
// Typical use by a service, after each TCP delivery:
//   endpoint.feed(bytes);
//   tcp.send(endpoint.take_outgoing());
//   app.on_data(endpoint.read());
// A client starts its handshake on the first take_outgoing() (the ClientHello is then there).
//
// Hooks let the service record trace events. They run after OpenSSL has returned, in the order
// things happened, never from inside OpenSSL, so a hook may call back into the endpoint.

#include <openssl/types.h>

#include <functional>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "tls/crypto_context.h"
#include "tls/tls_config.h"
#include "tls/tls_info.h"
#include "wire/bytes.h"

namespace mailscope::tls {

struct TlsHooks {
  // A handshake message ("ClientHello", "Certificate", ...) or "ChangeCipherSpec" (TLS 1.2).
  std::function<void(TlsDirection, std::string_view name)> on_message;
  std::function<void(TlsDirection, const TlsAlert&)> on_alert;
  // One line in NSS key log format, e.g. "CLIENT_HANDSHAKE_TRAFFIC_SECRET <random> <secret>".
  std::function<void(std::string_view line)> on_keylog;
  // Every state transition, including Handshaking -> Established (TlsInfo is complete then).
  std::function<void(TlsState from, TlsState to)> on_state_change;
};

class TlsEndpoint {
 public:
  // Plaintext decrypted but not yet read; beyond it, ciphertext waits in the input buffer.
  static constexpr std::size_t kPlaintextInMax = 1 << 20;
  // Plaintext accepted by write() plus ciphertext not yet taken; write() accepts no more.
  static constexpr std::size_t kOutgoingMax = 1 << 20;

  static Result<TlsEndpoint> client(const CryptoContext& crypto, const TlsClientConfig& config);
  static Result<TlsEndpoint> server(const CryptoContext& crypto, const TlsServerConfig& config);

  TlsEndpoint(TlsEndpoint&&) noexcept;
  TlsEndpoint& operator=(TlsEndpoint&&) noexcept;
  ~TlsEndpoint();

  void set_hooks(TlsHooks hooks);

  // Ciphertext that arrived from the peer. Ignored once Closed or Failed.
  void feed(wire::ByteView ciphertext);
  // Ciphertext to put on the wire now (handshake, records, alerts); may be empty.
  wire::Bytes take_outgoing();
  // Application data to encrypt; returns how many bytes were accepted (all of them unless the
  // outgoing limit is reached). Data written during the handshake is sent once it completes.
  // Accepts nothing after close() or a failure.
  std::size_t write(wire::ByteView plaintext);
  // Decrypted application data received so far and not yet read.
  wire::Bytes read();
  // Sends close_notify (or, during the handshake, just gives up). Reading still works until the
  // peer's close_notify arrives.
  void close();

  TlsState state() const;
  const TlsInfo& info() const;
  // OpenSSL's object, for tests and diagnostics; owned by the endpoint.
  SSL* native() const;

  // Opaque; named here only so that OpenSSL's C callbacks in the .cpp file can reach it.
  struct Impl;

 private:
  explicit TlsEndpoint(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> m_impl;  // never null except after being moved from
};

}  // namespace mailscope::tls
