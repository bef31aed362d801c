#include "services/pop3_server.h"

#include "proto/pop3/server_config.h"
#include "services/listening_mail_service_impl.h"
#include "services/pop3_server_connection.h"

namespace mailscope::services {

struct Pop3Server::Protocol {
  using Connection = Pop3ServerConnection;
  static constexpr std::string_view kName = "POP3";

  // Unlike IMAP (INTERNALDATE) the POP3 engine writes no dates, so it takes no mail clock.
  static void configure(pop3::Pop3ServerConfig& engine, const Pop3ServerOptions& options,
                        ListenerKind listener, bool tls_ready, const ServiceContext& /*context*/) {
    engine.timeouts.autologout_ns = options.autologout_ns;
    engine.role =
        listener == ListenerKind::Plain ? pop3::ServerRole::Pop3 : pop3::ServerRole::Pop3s;
    engine.tls = tls_ready ? pop3::TlsAvailability::Ready : pop3::TlsAvailability::None;
    engine.allow_plaintext_login = options.allow_plaintext_login;
  }
};

template class ListeningMailService<Pop3Server, Pop3ServerOptions>;

}  // namespace mailscope::services
