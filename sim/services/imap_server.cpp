#include "services/imap_server.h"

#include "proto/imap/server_config.h"
#include "services/imap_server_connection.h"
#include "services/listening_mail_service_impl.h"

namespace mailscope::services {

struct ImapServer::Protocol {
  using Connection = ImapServerConnection;
  static constexpr std::string_view kName = "IMAP";

  static void configure(imap::ImapServerConfig& engine, const ImapServerOptions& options,
                        ListenerKind listener, bool tls_ready, const ServiceContext& context) {
    engine.autologout_ns = options.autologout_ns;
    engine.clock = context.clock;  // INTERNALDATE is written and read on the world's calendar
    engine.role = listener == ListenerKind::Plain ? imap::ServerRole::StartTls
                                                  : imap::ServerRole::ImplicitTls;
    engine.tls = tls_ready ? imap::TlsAvailability::Ready : imap::TlsAvailability::None;
    engine.allow_plaintext_auth = options.allow_plaintext_login;
  }
};

template class ListeningMailService<ImapServer, ImapServerOptions>;

}  // namespace mailscope::services
