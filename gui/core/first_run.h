#pragma once
// FirstRun: the session the window starts with, opened on a worker thread so that the first
// frame does not wait for a World to be simulated (a large lesson takes most of a second).
//
// Until the worker has finished, session() is a placeholder with no run whose preparing() says
// what is happening ("Simulating large-attachment…"), and the window draws that state. poll()
// swaps the finished Session in. The worker builds its Session completely (run, view-model,
// error dialog, recent files) before handing it over, and nothing else touches it meanwhile; only
// the thread that owns the FirstRun calls session(), poll() and wait().

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include "gui/core/session.h"

namespace mailscope::gui {

class FirstRun {
 public:
  using Open = std::function<std::unique_ptr<Session>()>;
  // Starts `open` on a worker thread; `status` is what the placeholder says meanwhile. `open`
  // must not touch ImGui or anything the owning thread uses.
  FirstRun(Open open, std::string status);
  // Waits for the worker (closing the window while a run is simulated waits for it to finish):
  // what `open` uses must outlive it.
  ~FirstRun();
  FirstRun(const FirstRun&) = delete;
  FirstRun& operator=(const FirstRun&) = delete;

  // What to draw: the placeholder until the worker's session is swapped in, then that one.
  Session& session() { return *m_session; }
  // True once the worker's session is the one shown.
  bool ready() const { return !m_pending.valid(); }
  // Swaps the worker's session in when it is finished, without blocking; returns true on the
  // call that did.
  bool poll();
  // Blocks until the worker has finished and swaps its session in; returns true when this call
  // did the swap (false when it was already done).
  bool wait();

 private:
  void adopt();

  // Never null: the placeholder (no run, preparing() set) until adopt(), then the worker's.
  std::unique_ptr<Session> m_session;
  std::future<std::unique_ptr<Session>> m_pending;  // valid until adopt()
};

// What the window says while `spec` (as make_source() takes it), and `compare` beside it when not
// empty, is opened: "Simulating large-attachment…", "Simulating the built-in demo…", "Loading
// and simulating greylisting.json…", "Simulating cross-domain and same-domain…".
std::string preparing_status(std::string_view spec, std::string_view compare = {});

}  // namespace mailscope::gui
