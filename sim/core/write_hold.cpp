// The write hold behind POST /_sim/hold-writes (see write_hold.hpp).

#include "core/write_hold.hpp"

#include "core/json.hpp"

namespace idp_sim {

int WriteHold::writes_in(const SimRequest& request) {
  if (request.method == "GET" || request.method == "HEAD") return 0;
  if (request.path.ends_with("/token")) return 0;
  if (!request.path.ends_with("/$batch")) return 1;
  Json batch = Json::parse(request.body, nullptr, false);
  int writes = 0;
  if (batch.is_object() && batch.contains("requests") && batch["requests"].is_array())
    for (const Json& item : batch["requests"])
      if (item.is_object() && item.value("method", std::string("GET")) != "GET") ++writes;
  return writes;
}

void WriteHold::hold_after(std::int64_t allowed) {
  std::lock_guard lock(m_mutex);
  m_remaining = allowed;
}

void WriteHold::release() {
  {
    std::lock_guard lock(m_mutex);
    m_remaining.reset();
    ++m_generation;
  }
  m_released.notify_all();
}

bool WriteHold::admit(int writes) {
  std::unique_lock lock(m_mutex);
  if (!m_remaining || writes == 0) return true;
  if (*m_remaining >= writes) {
    *m_remaining -= writes;
    return true;
  }
  std::uint64_t generation = m_generation;
  ++m_waiting;
  m_released.wait(lock, [&] { return m_generation != generation; });
  --m_waiting;
  return false;
}

std::optional<std::int64_t> WriteHold::remaining() const {
  std::lock_guard lock(m_mutex);
  return m_remaining;
}

int WriteHold::waiting() const {
  std::lock_guard lock(m_mutex);
  return m_waiting;
}

}  // namespace idp_sim
