#include "bridge/real_time_driver.h"

#include <boost/asio/post.hpp>
#include <cmath>
#include <string>

namespace mailscope::bridge {

std::optional<Error> RealTimeDriver::check_speed(double speed) {
  if (!(speed >= kSpeedMin && speed <= kSpeedMax)) {
    return make_error("speed must be between 0.01 and 1000000 (got " + std::to_string(speed) + ")",
                      "speed");
  }
  return std::nullopt;
}

RealTimeDriver::RealTimeDriver(boost::asio::io_context& io, Simulator& sim, double speed)
    : m_io(io),
      m_sim(sim),
      m_timer(io),
      m_speed(std::isnan(speed) ? 1.0 : std::clamp(speed, kSpeedMin, kSpeedMax)),
      m_wall_origin(Clock::now()),
      m_virtual_origin(sim.now()) {}

RealTimeDriver::~RealTimeDriver() {
  *m_alive = false;
  m_timer.cancel();
}

void RealTimeDriver::start() {
  m_wall_origin = Clock::now();
  m_virtual_origin = m_sim.now();
  m_running = true;
  wake();
}

void RealTimeDriver::stop() {
  m_running = false;
  m_timer.cancel();
}

std::optional<Error> RealTimeDriver::set_speed(double speed) {
  if (auto error = check_speed(speed)) return error;
  rebase();
  m_speed = speed;
  wake();
  return std::nullopt;
}

void RealTimeDriver::rebase() {
  const TimeNs now = target_now();
  m_wall_origin = Clock::now();
  m_virtual_origin = now;
}

TimeNs RealTimeDriver::target_now() const {
  if (!m_running) return m_sim.now();
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - m_wall_origin);
  // long double keeps nanosecond precision for days of wall time at any allowed speed.
  const long double scaled = static_cast<long double>(elapsed.count()) * m_speed;
  const long double limit = static_cast<long double>(kTimeNever - 1 - m_virtual_origin);
  const TimeNs target = m_virtual_origin + (scaled >= limit ? static_cast<TimeNs>(limit)
                                                            : static_cast<TimeNs>(scaled));
  return std::max(target, m_sim.now());
}

RealTimeDriver::Clock::time_point RealTimeDriver::wall_for(TimeNs virtual_time) const {
  const long double wall_ns = static_cast<long double>(virtual_time - m_virtual_origin) / m_speed;
  const long double max_ns = static_cast<long double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(kSleepMax).count());
  const auto offset = std::chrono::nanoseconds(
      static_cast<std::int64_t>(std::ceil(std::min(std::max(wall_ns, 0.0L), max_ns))));
  return m_wall_origin + offset;
}

void RealTimeDriver::catch_up() {
  if (!m_running) return;
  m_sim.run_until(target_now());
}

void RealTimeDriver::wake() {
  if (!m_running || m_pump_posted) return;
  m_pump_posted = true;
  const std::weak_ptr<bool> alive = m_alive;
  boost::asio::post(m_io, [this, alive] {
    if (alive.expired()) return;
    m_pump_posted = false;
    pump();
  });
}

void RealTimeDriver::pump() {
  if (!m_running) return;
  ++m_passes;
  const TimeNs target = target_now();
  std::uint64_t ran = 0;
  while (ran < kEventsPerSliceMax) {
    const TimeNs next = m_sim.next_event_time();
    if (next == kTimeNever || next > target) break;
    m_sim.step();
    ++ran;
  }
  if (ran == kEventsPerSliceMax) {
    // More may be due: let the sockets have their turn, then carry on.
    wake();
    return;
  }
  // Nothing is due before `target`: virtual time has reached the wall clock.
  m_sim.run_until(target);
  arm_timer();
}

void RealTimeDriver::arm_timer() {
  const TimeNs next = m_sim.next_event_time();
  const Clock::time_point deadline = next == kTimeNever ? Clock::now() + kSleepMax : wall_for(next);
  m_timer.expires_at(deadline);
  const std::weak_ptr<bool> alive = m_alive;
  m_timer.async_wait([this, alive](const boost::system::error_code& error) {
    // Cancelled waits are superseded by a newer arm_timer() or by stop().
    if (error || alive.expired()) return;
    pump();
  });
}

}  // namespace mailscope::bridge
