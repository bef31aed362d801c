#pragma once
// Blocking real-socket helpers for the bridge tests: a line-oriented TCP client, a way to run a
// program and capture what it prints, and a scratch file.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace mailscope::bridge::testing {

// A TCP client on 127.0.0.1. Every read gives up after 30 s, so a broken bridge fails the test
// instead of hanging it.
class RealClient {
 public:
  explicit RealClient(std::uint16_t port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{30, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RealClient() { close(); }
  RealClient(const RealClient&) = delete;
  RealClient& operator=(const RealClient&) = delete;

  bool connected() const { return m_connected; }

  bool send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // One line with its CRLF; empty at end of stream or on a timeout.
  std::string line() {
    while (true) {
      const auto end = m_buffer.find("\r\n");
      if (end != std::string::npos) {
        std::string out = m_buffer.substr(0, end + 2);
        m_buffer.erase(0, end + 2);
        return out;
      }
      if (!fill()) return {};
    }
  }

  // One SMTP reply, all its lines ("250-..." up to "250 ...").
  std::string reply() {
    std::string out;
    while (true) {
      const std::string l = line();
      out += l;
      if (l.size() < 4 || l[3] != '-') return out;
    }
  }

  // Sends a command and returns the reply.
  std::string command(const std::string& text) {
    if (!send(text)) return {};
    return reply();
  }

  // True when the peer closed the stream (read returns 0) before sending anything more.
  bool at_end() {
    if (!m_buffer.empty()) return false;
    return !fill() && m_last_read == 0;
  }

  // Closes with RST instead of FIN.
  void reset() {
    linger option{1, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    close();
  }
  void close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }

 private:
  bool fill() {
    std::array<char, 4096> chunk{};
    m_last_read = ::recv(m_fd, chunk.data(), chunk.size(), 0);
    if (m_last_read <= 0) return false;
    m_buffer.append(chunk.data(), static_cast<std::size_t>(m_last_read));
    return true;
  }

  int m_fd = -1;
  bool m_connected = false;
  std::string m_buffer;
  ssize_t m_last_read = -1;
};

// Whether a program is on the PATH.
inline bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

struct ProgramRun {
  int status = -1;     // the exit status, -1 when it could not run
  std::string output;  // stdout and stderr together
};

// Runs a shell command line and captures what it prints.
inline ProgramRun run_program(const std::string& command) {
  ProgramRun run;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> chunk{};
  while (std::fgets(chunk.data(), static_cast<int>(chunk.size()), pipe) != nullptr) {
    run.output += chunk.data();
  }
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// A file in a fresh temporary folder, removed with the object.
class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::string& content) {
    m_dir = std::filesystem::temp_directory_path() /
            ("mailscope-bridge-" + std::to_string(::getpid()) + "-" + std::to_string(s_count++));
    std::filesystem::create_directories(m_dir);
    m_path = m_dir / name;
    std::ofstream(m_path, std::ios::binary) << content;
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
  }
  std::string path() const { return m_path.string(); }

 private:
  static inline int s_count = 0;
  std::filesystem::path m_dir;
  std::filesystem::path m_path;
};

}  // namespace mailscope::bridge::testing
