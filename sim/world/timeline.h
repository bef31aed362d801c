#pragma once
// Timeline: plays a scenario's actions on a World. An action with `at` starts at that virtual
// time; one with `after` starts when the action before it has finished, plus its delay. An action
// finishes when what it started is over: a send when the submission session has ended, a fetch
// when the client has logged out, a ping when every echo was answered or timed out, a lookup when
// the answer came; switching things on and off finishes at once.
//
// Each action is recorded as an Action event on the node that performs it, followed by its
// narration, so every view can say "Alice presses Send" at the right moment.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/rng.h"
#include "net/host.h"
#include "scenario/scenario.h"

namespace mailscope::world {

class World;

class Timeline {
 public:
  explicit Timeline(World& world);
  ~Timeline();
  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  // Schedules the actions; call once, at virtual time zero.
  void start();
  bool finished() const { return m_finished == m_actions.size(); }
  TimeNs finished_at() const { return m_finished_at; }

 private:
  void begin(std::size_t index);
  void finish(std::size_t index);

  // One per kind of action; each calls finish(index) when done.
  void send(std::size_t index, const scenario::SendMail& action);
  void fetch(std::size_t index, const scenario::FetchMail& action);
  void ping(std::size_t index, const scenario::Ping& action);
  void lookup(std::size_t index, const scenario::Lookup& action);
  void control(std::size_t index, const scenario::ServerControl& action);
  void dns_fault(std::size_t index, const scenario::DnsFault& action);
  void mail_fault(std::size_t index, const scenario::SetFault& action);

  // The machine an action names: a host or router by name, or a user's client machine.
  net::Host* machine(const std::string& name);
  // Records the action and its narration on `node`.
  void announce(net::Host& node, const scenario::Action& action, const std::string& what);

  World& m_world;
  const std::vector<scenario::Action>& m_actions;
  std::size_t m_finished = 0;
  TimeNs m_finished_at = -1;
  std::vector<bool> m_done;  // per action
  Rng m_rng;                 // message boundaries and generated attachments
  // What running actions need kept alive (submission sessions, stub resolvers).
  std::vector<std::shared_ptr<void>> m_keep;
};

}  // namespace mailscope::world
