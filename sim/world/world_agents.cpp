// World::build_agents: one mail program per user, on the user's machine, set up as the
// scenario's send and fetch settings say.

#include "services/mail_user_agent.h"
#include "world/world.h"

namespace mailscope::world {

namespace {

services::ConnectionSecurity security_of(scenario::Security security) {
  switch (security) {
    case scenario::Security::StartTls:
      return services::ConnectionSecurity::StartTls;
    case scenario::Security::Implicit:
      return services::ConnectionSecurity::Implicit;
    case scenario::Security::None:
      break;
  }
  return services::ConnectionSecurity::None;
}

}  // namespace

void World::build_agents() {
  for (const scenario::User& user : m_scenario.users) {
    services::MuaOptions options;
    options.account = {user.address, user.password, user.display_name};

    options.send.server_name = user.send.server;
    if (const scenario::HostPlan* server = m_scenario.find_host(user.send.server))
      options.send.server_address = server->address;
    options.send.port = user.send.port;
    options.send.security = security_of(user.send.security);
    options.send.auth = user.send.auth;
    // The program lets the server judge the size, so an oversized message meets its 552.
    options.send.announce_oversized = true;

    options.fetch.protocol = user.fetch.protocol == scenario::FetchProtocol::Pop3
                                 ? services::FetchProtocol::Pop3
                                 : services::FetchProtocol::Imap;
    options.fetch.security = security_of(user.fetch.security);
    options.fetch.mode = user.fetch.mode == scenario::FetchMode::Delete
                             ? services::FetchMode::Delete
                             : services::FetchMode::Keep;
    options.fetch.server_name = user.fetch.server;
    if (const scenario::HostPlan* server = m_scenario.find_host(user.fetch.server))
      options.fetch.server_address = server->address;
    options.fetch.port = user.fetch.port;

    m_agents[user.address] =
        std::make_unique<services::MailUserAgent>(*m_context, *m_hosts.at(user.host), options);
  }
}

}  // namespace mailscope::world
