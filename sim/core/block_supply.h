#pragma once
// BlockSupply: hands out the 4 MiB blocks the trace's arenas grow by, faulted in ahead of time.
//
// A large run writes gigabytes of fresh memory, and the first write to each page is slow: the
// kernel (and, on a virtual machine, the hypervisor behind it) must find and clear a page. On the
// machine MailScope is measured on that costs 3-5 s per GiB, more than the simulation itself. Once
// a run has taken a few blocks, a worker thread maps and touches the next ones on another core, so
// the simulation finds them ready. The worker only ever sees empty memory, never simulation state,
// so runs stay deterministic; small runs (every lesson, every unit test) never start it.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <stop_token>
#include <thread>

#include "core/huge_buffer.h"

namespace mailscope {

class BlockSupply {
 public:
  static constexpr std::size_t kBlockBytes = std::size_t{4} << 20;
  // The worker starts when this many blocks have been taken (16 MiB: beyond any lesson).
  static constexpr std::size_t kWorkerAfterBlocks = 4;
  // How many blocks the worker keeps ready: at most this much memory is faulted in but unused.
  static constexpr std::size_t kReadyMax = 16;

  BlockSupply() = default;
  ~BlockSupply();
  BlockSupply(const BlockSupply&) = delete;
  BlockSupply& operator=(const BlockSupply&) = delete;

  // A zero-filled block of kBlockBytes: a ready one when the worker has one, else a fresh mapping
  // (the caller then pays for the faults itself rather than wait for the worker).
  HugeBuffer take();
  std::size_t blocks_taken() const { return m_taken; }
  std::size_t blocks_taken_ready() const { return m_taken_ready; }

 private:
  void work(std::stop_token stop);

  std::mutex m_mutex;
  std::condition_variable_any m_wake;  // the worker waits here for room in m_ready
  std::deque<HugeBuffer> m_ready;      // faulted-in blocks, guarded by m_mutex
  std::size_t m_taken = 0;             // only the owner's thread reads or writes these two
  std::size_t m_taken_ready = 0;
  std::jthread m_worker;  // last member: stopped and joined before the others are destroyed
};

}  // namespace mailscope
