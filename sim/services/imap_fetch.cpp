#include "services/imap_fetch.h"

#include <algorithm>

namespace mailscope::services {

std::vector<std::string> uid_sets(const std::vector<mail::Uid>& uids, std::size_t chars_max) {
  std::vector<std::string> sets;
  std::string current;
  std::size_t i = 0;
  while (i < uids.size()) {
    // One run of consecutive UIDs becomes "first:last".
    std::size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1)
      ++j;
    std::string range = std::to_string(uids[i]);
    if (j > i) range += ":" + std::to_string(uids[j]);
    if (!current.empty() && current.size() + 1 + range.size() > chars_max) {
      sets.push_back(std::move(current));
      current.clear();
    }
    if (!current.empty()) current += ',';
    current += range;
    i = j + 1;
  }
  if (!current.empty()) sets.push_back(std::move(current));
  return sets;
}

std::shared_ptr<ImapFetch> ImapFetch::start(const ServiceContext& context, net::Host& host,
                                            const FetchTarget& target, ImapSyncState state,
                                            DoneFn done) {
  auto self = std::make_shared<ImapFetch>(target, std::move(state), std::move(done));
  ImapClientConnectionOptions options;
  switch (target.security) {
    case ConnectionSecurity::None:
      options.engine.transport = imap::ClientTransport::Plain;
      options.engine.starttls = imap::StartTlsPolicy::Never;
      break;
    case ConnectionSecurity::StartTls:
      options.engine.transport = imap::ClientTransport::Plain;
      options.engine.starttls = imap::StartTlsPolicy::Required;
      break;
    case ConnectionSecurity::Implicit:
      options.engine.transport = imap::ClientTransport::ImplicitTls;
      options.engine.starttls = imap::StartTlsPolicy::Never;
      break;
  }
  options.tls.trusted_cas = {context.ca.certificate()};
  options.tls.server_name = target.server_name;
  // A mail user agent refuses a server whose certificate does not verify (RFC 8314 §4.1).
  options.tls.verify_mode = tls::TlsVerifyMode::Require;
  const std::weak_ptr<ImapFetch> weak = self;
  ImapClientConnection::Callbacks callbacks;
  callbacks.response = [weak](const imap::Response& r) {
    if (auto s = weak.lock()) s->on_response(r);
  };
  callbacks.completed = [weak](const imap::CommandCompleted& c) {
    if (auto s = weak.lock()) s->on_completed(c);
  };
  callbacks.finished = [weak](const imap::SessionFinished& f) {
    if (auto s = weak.lock()) s->on_finished(f);
  };
  self->m_connection = ImapClientConnection::start(
      context, host, target.server_address, target.port, std::move(options), std::move(callbacks));
  imap::ImapClientSession& engine = self->m_connection->engine();
  // Both go out once the greeting (and STARTTLS, when asked for) is behind.
  self->queue(Step::Login, {engine.login(target.user, target.password)});
  engine.select("INBOX");
  self->m_connection->flush();
  return self;
}

ImapFetch::ImapFetch(FetchTarget target, ImapSyncState state, DoneFn done)
    : m_target(std::move(target)), m_state(std::move(state)), m_done(std::move(done)) {}

void ImapFetch::queue(Step step, const std::vector<std::string>& tags) {
  m_step = step;
  m_waiting = static_cast<std::size_t>(
      std::count_if(tags.begin(), tags.end(), [](const std::string& t) { return !t.empty(); }));
}

void ImapFetch::on_response(const imap::Response& r) {
  if (r.kind != imap::ResponseKind::Untagged) return;
  if (m_step == Step::Search && r.keyword == "SEARCH") {
    for (std::uint32_t uid : imap::search_results(r))
      m_on_server.push_back(uid);
    return;
  }
  if (m_step == Step::Expunge && r.keyword == "EXPUNGE") {
    ++m_report.deleted;
    return;
  }
  if (m_step != Step::Fetch || r.keyword != "FETCH") return;
  const auto data = imap::fetch_data(r);
  if (!data || !data->uid) return;
  const auto body = data->items.find("BODY[]");
  if (body == data->items.end() || body->second.type != imap::Value::Type::String) return;
  if (m_state.known_uids.count(*data->uid) != 0) return;  // already here (a repeated FETCH)
  m_state.known_uids.insert(*data->uid);
  m_fetched_uids.push_back(*data->uid);
  m_report.messages.push_back(body->second.text);
}

namespace {

// "[CODE args] text": what the server said, as a user would be shown it.
std::string reply_text(const imap::CommandCompleted& c) {
  if (c.code.empty()) return c.text;
  return "[" + c.code + (c.code_args.empty() ? "" : " " + c.code_args) + "] " + c.text;
}

}  // namespace

void ImapFetch::on_completed(const imap::CommandCompleted& c) {
  const bool ok = c.status == imap::Status::Ok;
  if (c.verb == "STARTTLS" || c.verb == "CAPABILITY" || c.verb == "LOGOUT") return;
  if (c.verb == "LOGIN") {
    if (!ok) fail("login refused: " + reply_text(c));
    return;
  }
  if (c.verb == "SELECT") {
    if (!ok) {
      fail("SELECT INBOX refused: " + reply_text(c));
      return;
    }
    after_select();
    return;
  }
  if (!ok) {
    fail(c.verb + " refused: " + reply_text(c));
    return;
  }
  if (m_waiting > 0) --m_waiting;
  if (m_waiting > 0) return;
  switch (m_step) {
    case Step::Search:
      after_search();
      return;
    case Step::Fetch:
      after_fetch();
      return;
    case Step::Flags:
      after_flags();
      return;
    case Step::Expunge:
      logout();
      return;
    case Step::Login:
    case Step::Select:
    case Step::Logout:
      return;
  }
}

void ImapFetch::after_select() {
  imap::ImapClientSession& engine = m_connection->engine();
  if (engine.uid_validity() != m_state.uid_validity) {
    // A new UIDVALIDITY: the UIDs the client kept name other messages now (or none).
    m_state.uid_validity = engine.uid_validity();
    m_state.known_uids.clear();
  }
  if (engine.exists() == 0) {
    m_state.known_uids.clear();  // nothing on the server: nothing to remember
    logout();
    return;
  }
  queue(Step::Search, {engine.search("ALL", imap::UidMode::Uid)});
}

void ImapFetch::after_search() {
  std::sort(m_on_server.begin(), m_on_server.end());
  // UIDs the client has but the server no longer has were expunged elsewhere.
  std::set<mail::Uid> still;
  std::vector<mail::Uid> fresh;
  for (mail::Uid uid : m_on_server) {
    if (m_state.known_uids.count(uid) != 0) {
      still.insert(uid);
    } else {
      fresh.push_back(uid);
    }
  }
  m_state.known_uids = std::move(still);
  if (fresh.empty()) {
    after_fetch();
    return;
  }
  std::vector<std::string> tags;
  for (const std::string& set : uid_sets(fresh, kUidSetCharsMax)) {
    tags.push_back(
        m_connection->engine().fetch(set, "(UID RFC822.SIZE BODY.PEEK[])", imap::UidMode::Uid));
  }
  queue(Step::Fetch, tags);
}

void ImapFetch::after_fetch() {
  // Keep: only what came down now is marked read. Delete: everything the client has a copy of.
  std::vector<mail::Uid> targets;
  std::vector<std::string> flags = {"\\Seen"};
  if (m_target.mode == FetchMode::Delete) {
    targets.assign(m_state.known_uids.begin(), m_state.known_uids.end());
    flags.push_back("\\Deleted");
  } else {
    targets = m_fetched_uids;
    std::sort(targets.begin(), targets.end());
  }
  if (targets.empty()) {
    logout();
    return;
  }
  std::vector<std::string> tags;
  for (const std::string& set : uid_sets(targets, kUidSetCharsMax)) {
    tags.push_back(m_connection->engine().store(set, mail::FlagOp::Add, flags,
                                                imap::StoreReply::Silent, imap::UidMode::Uid));
  }
  queue(Step::Flags, tags);
}

void ImapFetch::after_flags() {
  if (m_target.mode != FetchMode::Delete) {
    logout();
    return;
  }
  queue(Step::Expunge, {m_connection->engine().expunge()});
}

void ImapFetch::fail(std::string detail) {
  if (m_report.detail.empty()) m_report.detail = std::move(detail);
  logout();
}

void ImapFetch::logout() {
  m_step = Step::Logout;
  m_waiting = 0;
  if (m_logout_queued) return;
  m_logout_queued = true;
  m_connection->engine().logout();
}

void ImapFetch::on_finished(const imap::SessionFinished& finished) {
  if (m_done_called) return;
  m_done_called = true;
  if (m_target.mode == FetchMode::Delete && m_report.deleted > 0) {
    m_state.known_uids.clear();  // what was expunged is gone for good
  }
  const bool clean = finished.outcome == imap::SessionOutcome::Completed;
  m_report.ok = clean && m_report.detail.empty();
  const tls::TlsInfo* info = m_connection->tls_info();
  if (info != nullptr) m_report.tls = *info;
  if (m_report.detail.empty() && !clean) {
    m_report.detail = fetch_failure(std::string(imap::to_string(finished.outcome)), finished.reason,
                                    m_connection->connection_error(), info);
  }
  if (m_done) {
    DoneFn done = std::move(m_done);
    done(Result{m_report, m_state});
  }
}

}  // namespace mailscope::services
