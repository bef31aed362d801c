#include "services/dns_authoritative_server.h"

#include "services/dns_events.h"

namespace mailscope::services {

AuthoritativeServer::AuthoritativeServer(net::Host& host)
    : m_host(host),
      m_listener(host, [this](const DnsServerQuery& query, DnsListener::Respond respond) {
        on_query(query, respond);
      }) {}

void AuthoritativeServer::on_query(const DnsServerQuery& query,
                                   const DnsListener::Respond& respond) {
  ++m_queries_answered;
  auto response = m_authority.answer(query.message);
  if (!response) {
    dns_note(m_host,
             "refused: " + query.message.questions.front().name.to_string() +
                 " is in none of the zones this server holds, and it does not recurse",
             query.event, query.flow);
    respond(wire::DnsMessage::make_response(query.message, wire::DnsRcode::REFUSED));
    return;
  }
  respond(std::move(*response));
}

}  // namespace mailscope::services
