#pragma once
// RealTimeDriver: runs a Simulator in step with the wall clock, from a boost::asio::io_context.
//
// Virtual time is anchored to a steady-clock instant when start() is called and then follows it
// scaled by `speed`: after w seconds of wall time the simulation may be at most at
// v0 + w * speed. The driver runs every event due by then, moves the clock there and sleeps on an
// asio timer until the next event falls due or until socket activity wakes it. It never jumps
// ahead of scaled wall time, so a real client that is typing sees the simulated servers' timers
// run at the speed it expects, and it never spins: with nothing due it waits on the timer.
//
// This is the only code of MailScope (with the rest of bridge/) that reads the wall clock.
// Everything runs on the io_context's thread; the driver is not thread-safe.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "core/result.h"
#include "core/simulator.h"

namespace mailscope::bridge {

class RealTimeDriver {
 public:
  using Clock = std::chrono::steady_clock;

  static constexpr double kSpeedMin = 0.01;
  static constexpr double kSpeedMax = 1'000'000.0;
  // Events run in one go before the io_context gets a turn, so that a simulation with a backlog
  // cannot starve the sockets.
  static constexpr std::uint64_t kEventsPerSliceMax = 20'000;
  // The longest single sleep; the timer is simply re-armed after it.
  static constexpr std::chrono::hours kSleepMax{24};

  // An error when speed is outside [kSpeedMin, kSpeedMax] (or not a number).
  static std::optional<Error> check_speed(double speed);

  // `speed` must have passed check_speed(); out-of-range values are clamped.
  RealTimeDriver(boost::asio::io_context& io, Simulator& sim, double speed = 1.0);
  ~RealTimeDriver();
  RealTimeDriver(const RealTimeDriver&) = delete;
  RealTimeDriver& operator=(const RealTimeDriver&) = delete;

  // Anchors virtual time sim.now() to the wall clock now and starts running events.
  void start();
  // Stops running events; the simulation stays where it is. start() may be called again.
  void stop();
  bool running() const { return m_running; }

  // Changes the speed from now on, without moving virtual time.
  std::optional<Error> set_speed(double speed);
  double speed() const { return m_speed; }

  // Brings the simulation up to the wall clock: runs every event due by now and moves the
  // clock there. Call it before injecting bytes that arrived from a real socket, so that they
  // enter the simulation at the right virtual time.
  void catch_up();
  // New events may have been scheduled from outside (real bytes injected): plan the next
  // wake-up again. Cheap; several calls before the loop runs again cost one pass.
  void wake();

  // The virtual time the wall clock corresponds to now (never before the simulation's clock).
  TimeNs target_now() const;
  Simulator& sim() { return m_sim; }
  // Passes of the loop so far (tests check that an idle driver does not spin).
  std::uint64_t passes() const { return m_passes; }

 private:
  void pump();
  void arm_timer();
  void rebase();
  Clock::time_point wall_for(TimeNs virtual_time) const;

  boost::asio::io_context& m_io;
  Simulator& m_sim;
  boost::asio::steady_timer m_timer;
  double m_speed;
  // Virtual time m_virtual_origin corresponds to wall time m_wall_origin; moved by rebase().
  Clock::time_point m_wall_origin;
  TimeNs m_virtual_origin = 0;
  bool m_running = false;
  bool m_pump_posted = false;  // a pump() is already queued on the io_context
  std::uint64_t m_passes = 0;
  // Handlers hold a weak reference: once the driver is gone they do nothing.
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace mailscope::bridge
