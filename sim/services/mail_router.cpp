#include "services/mail_router.h"

namespace mailscope::services {

std::string_view to_string(RouteStatus status) {
  switch (status) {
    case RouteStatus::Ok:
      return "ok";
    case RouteStatus::NoMail:
      return "no-mail";
    case RouteStatus::NotFound:
      return "not-found";
    case RouteStatus::TempFail:
      return "temp-fail";
  }
  return "not-found";
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void StaticMailRouter::add(std::string_view domain, MailExchange exchange) {
  RouteResult& route = m_routes[lower_ascii(domain)];
  route.status = RouteStatus::Ok;
  route.exchanges.push_back(std::move(exchange));
}

void StaticMailRouter::set_status(std::string_view domain, RouteStatus status, std::string detail) {
  RouteResult& route = m_routes[lower_ascii(domain)];
  route.status = status;
  route.exchanges.clear();
  route.detail = std::move(detail);
}

void StaticMailRouter::route(std::string_view domain, Callback done) {
  const auto it = m_routes.find(lower_ascii(domain));
  if (it == m_routes.end()) {
    done(RouteResult{RouteStatus::NotFound, {}, "no route for " + std::string(domain)});
    return;
  }
  done(it->second);
}

}  // namespace mailscope::services
