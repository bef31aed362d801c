// World::build_mail: one MailServer per scenario mail server host, each with its own storage
// (mailboxes, queue, passwords, certificate), a stub resolver and an MX router that asks DNS.

#include <algorithm>
#include <string>

#include "mail/address.h"
#include "services/dns_mail_router.h"
#include "services/dns_stub.h"
#include "services/mail_server.h"
#include "world/world.h"

namespace mailscope::world {

namespace {

using scenario::Certificate;
using scenario::MailService;

constexpr std::int64_t kDaySeconds = 86'400;

services::MailServerStorageOptions storage_options(const scenario::MailServer& plan) {
  services::MailServerStorageOptions options;
  options.queue.retry.first_retry_ns = plan.retry_first_ns;
  options.queue.retry.retry_max_ns = plan.retry_max_ns;
  options.queue.retry.give_up_after_ns = plan.give_up_after_ns;
  // The store must hold whatever the server's SIZE limit lets in, plus the trace headers.
  options.store.message_size_max =
      std::max<std::size_t>(options.store.message_size_max, plan.size_limit_bytes + 64 * 1024);
  return options;
}

// The certificate the scenario gives this server; nullopt for a Valid one, which the MailServer
// issues itself the usual way.
Result<std::optional<tls::Credentials>> lesson_certificate(const services::ServiceContext& context,
                                                           const scenario::MailServer& plan) {
  const tls::CertificateValidity normal = services::server_certificate_validity(context.clock);
  const std::int64_t epoch = context.clock.epoch_seconds;
  tls::CertificateRequest request;
  request.dns_names = {plan.host};
  request.validity = normal;
  switch (plan.certificate) {
    case Certificate::None:
    case Certificate::Valid:
      return std::optional<tls::Credentials>{};
    case Certificate::Expired:
      request.validity = {epoch - 400 * kDaySeconds, epoch - 35 * kDaySeconds};
      break;
    case Certificate::NotYetValid:
      request.validity = {epoch + 30 * kDaySeconds, epoch + 400 * kDaySeconds};
      break;
    case Certificate::WrongName:
      request.dns_names = {"wrong-name.invalid"};
      break;
    case Certificate::SelfSigned:
      request.signer = tls::CertificateSigner::SelfSigned;
      break;
  }
  auto issued = context.ca.issue(request);
  if (!issued) return issued.error();
  return std::optional<tls::Credentials>(std::move(issued).value());
}

bool is_mx_of(const scenario::Domain& domain, const std::string& host) {
  return std::any_of(domain.mx.begin(), domain.mx.end(),
                     [&](const scenario::MxEntry& mx) { return mx.host == host; });
}

}  // namespace

std::optional<Error> World::build_mail() {
  for (const scenario::Domain& domain : m_scenario.domains) {
    for (const scenario::MailServer& plan : domain.servers) {
      auto mail_host = std::make_unique<MailHost>();
      mail_host->plan = &plan;
      mail_host->domain = domain.name;
      mail_host->host = m_hosts.at(plan.host);
      mail_host->storage = std::make_unique<services::MailServerStorage>(storage_options(plan));
      services::MailServerStorage& storage = *mail_host->storage;

      // Every server of a domain knows its users' passwords (a submission server may not be the
      // one storing the mail); only the storing server has their mailboxes filled.
      for (const scenario::User& user : m_scenario.users) {
        if (user.domain() != domain.name) continue;
        auto added = storage.add_user(user.local_part(), user.password);
        if (!added) return Error{added.error().what, "user " + user.address};
        if (plan.stores_mail && plan.mailbox_quota_bytes) {
          auto quota = storage.store().set_quota(*added, *plan.mailbox_quota_bytes);
          if (!quota) return Error{"cannot set the quota of " + user.address, ""};
        }
      }
      auto certificate = lesson_certificate(*m_context, plan);
      if (!certificate) return Error{certificate.error().what, "certificate of " + plan.host};
      if (*certificate) storage.credentials() = std::move(**certificate);

      const scenario::HostPlan* host_plan = m_scenario.find_host(plan.host);
      services::StubResolverConfig stub_config;
      stub_config.resolver = host_plan->resolver;
      mail_host->stub = std::make_unique<services::StubResolver>(*mail_host->host, stub_config);
      mail_host->router = std::make_unique<services::DnsMailRouter>(*mail_host->stub);

      if (plan.offers(MailService::Smtp) || plan.offers(MailService::Submission) ||
          plan.offers(MailService::Smtps)) {
        services::MailServerOptions options;
        options.hostname = plan.host;
        if (plan.stores_mail)
          options.domains = {domain.name};
        else if (is_mx_of(domain, plan.host))
          options.relay_domains = {domain.name};
        options.mta_port = plan.offers(MailService::Smtp) ? 25 : 0;
        options.submission_port = plan.offers(MailService::Submission) ? 587 : 0;
        options.smtps_port = plan.offers(MailService::Smtps) ? 465 : 0;
        options.tls = plan.certificate != Certificate::None;
        options.allow_plaintext_auth = plan.allow_plaintext_auth;
        options.open_relay = plan.open_relay;
        options.size_limit_bytes = plan.size_limit_bytes;
        options.faults.greylisting = plan.greylist_delay_ns > 0;
        if (plan.greylist_delay_ns > 0) options.faults.greylist_delay_ns = plan.greylist_delay_ns;
        auto server = services::MailServer::create(*m_context, *mail_host->host, storage,
                                                   *mail_host->router, std::move(options));
        if (!server) return Error{server.error().what, "mail server " + plan.host};
        mail_host->smtp = std::move(server).value();
      }
      m_mail_hosts.push_back(std::move(mail_host));
    }
  }
  return std::nullopt;
}

}  // namespace mailscope::world
