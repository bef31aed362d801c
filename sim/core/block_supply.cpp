#include "core/block_supply.h"

#include <new>
#include <utility>

namespace mailscope {
namespace {

// Writes one byte of every 4 KiB page, which makes the kernel back the whole block now (with one
// 2 MiB page per write where transparent huge pages are on). The block is fresh and zero-filled,
// so writing zero changes nothing but where the cost is paid.
void fault_in(HugeBuffer& block) {
  volatile std::byte* bytes = block.data();
  for (std::size_t at = 0; at < block.size(); at += 4096)
    bytes[at] = std::byte{0};
}

}  // namespace

BlockSupply::~BlockSupply() {
  if (m_worker.joinable()) {
    m_worker.request_stop();
    m_wake.notify_all();
  }
}

HugeBuffer BlockSupply::take() {
  ++m_taken;
  if (m_taken == kWorkerAfterBlocks)
    m_worker = std::jthread([this](std::stop_token stop) { work(std::move(stop)); });
  if (m_worker.joinable()) {
    std::unique_lock lock(m_mutex);
    if (!m_ready.empty()) {
      HugeBuffer block = std::move(m_ready.front());
      m_ready.pop_front();
      lock.unlock();
      m_wake.notify_one();
      ++m_taken_ready;
      return block;
    }
  }
  return HugeBuffer(kBlockBytes);
}

void BlockSupply::work(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(m_mutex);
      if (!m_wake.wait(lock, stop, [this] { return m_ready.size() < kReadyMax; })) return;
    }
    HugeBuffer block;
    try {
      block = HugeBuffer(kBlockBytes);
    } catch (const std::bad_alloc&) {
      return;  // out of address space: the owner maps its own blocks from now on
    }
    fault_in(block);
    std::lock_guard lock(m_mutex);
    m_ready.push_back(std::move(block));
  }
}

}  // namespace mailscope
