// `mailscope serve` as a user runs it: READY line, a real socket talking SMTP to a simulated
// server across the virtual network, SIGTERM, then the exports.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

// A child `mailscope serve ...` whose standard output we read line by line.
class Server {
 public:
  explicit Server(const std::vector<std::string>& arguments) {
    int out[2];
    if (pipe(out) != 0) return;
    m_pid = fork();
    if (m_pid == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(MAILSCOPE_BINARY));
      for (const std::string& a : arguments)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(MAILSCOPE_BINARY, argv.data());
      _exit(127);
    }
    close(out[1]);
    m_out = fdopen(out[0], "r");
  }
  ~Server() {
    if (m_pid > 0 && !m_waited) {
      kill(m_pid, SIGKILL);
      waitpid(m_pid, nullptr, 0);
    }
    if (m_out != nullptr) fclose(m_out);
  }
  std::string line() {
    char buffer[8192];
    if (m_out == nullptr || fgets(buffer, sizeof buffer, m_out) == nullptr) return {};
    return buffer;
  }
  // Sends SIGTERM and returns the exit status.
  int stop() {
    kill(m_pid, SIGTERM);
    int raw = 0;
    waitpid(m_pid, &raw, 0);
    m_waited = true;
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }

 private:
  pid_t m_pid = -1;
  FILE* m_out = nullptr;
  bool m_waited = false;
};

// The real port the READY line gives for `label` ("smtp.gmail.com:25"), or 0. (Parsed by hand:
// std::regex trips GCC 12's -Wmaybe-uninitialized at -O1.)
int ready_port(const std::string& ready, const std::string& label) {
  if (ready.rfind("READY {", 0) != 0) return 0;
  const std::string key = "\"" + label + "\": ";
  const std::size_t at = ready.find(key);
  if (at == std::string::npos) return 0;
  return std::atoi(ready.c_str() + at + key.size());
}

// Reads until `want` appears (or the peer closes); returns everything read.
std::string read_until(int fd, const std::string& want) {
  std::string got;
  char buffer[4096];
  while (got.find(want) == std::string::npos) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

TEST(Serve, RealSocketGetsTheSimulatedServersRepliesAndExportsAreWritten) {
  const auto transcript = std::filesystem::temp_directory_path() /
                          ("mailscope-serve-" + std::to_string(getpid()) + ".txt");
  Server server({"serve", "open-relay", "--speed", "100", "--expose", "smtp.gmail.com:25=0",
                 "--transcript", transcript.string()});
  const std::string ready = server.line();
  const int port = ready_port(ready, "smtp.gmail.com:25");
  ASSERT_GT(port, 0) << ready;

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_NE(read_until(fd, "\r\n").find("220 smtp.gmail.com"), std::string::npos);
  for (const std::string& line :
       {std::string("HELO student\r\n"), std::string("MAIL FROM:<student@example.org>\r\n")}) {
    send(fd, line.data(), line.size(), 0);
    EXPECT_NE(read_until(fd, "\r\n").find("250"), std::string::npos) << line;
  }
  const std::string rcpt = "RCPT TO:<someone@outlook.com>\r\n";
  send(fd, rcpt.data(), rcpt.size(), 0);
  EXPECT_NE(read_until(fd, "\r\n").find("554 5.7.1"), std::string::npos);
  const std::string quit = "QUIT\r\n";
  send(fd, quit.data(), quit.size(), 0);
  EXPECT_NE(read_until(fd, "\r\n").find("221"), std::string::npos);
  close(fd);

  EXPECT_EQ(server.stop(), 0);
  std::ifstream in(transcript);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("C: RCPT TO:<someone@outlook.com>"), std::string::npos);
  EXPECT_NE(text.str().find("external-client"), std::string::npos);
  std::filesystem::remove(transcript);
}

TEST(Serve, PortAlreadyInUseIsAClearErrorWithStatusTwo) {
  const int blocker = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(blocker, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(blocker, 1), 0);
  socklen_t size = sizeof address;
  getsockname(blocker, reinterpret_cast<sockaddr*>(&address), &size);
  const std::string port = std::to_string(ntohs(address.sin_port));
  Server server({"serve", "open-relay", "--expose", "smtp.gmail.com:25=" + port});
  EXPECT_EQ(server.line(), "");  // no READY line
  EXPECT_EQ(server.stop(), 2);
  close(blocker);
}

// The course's Nodemailer snippet (docs/examples/nodemailer.js) against the served lesson; runs
// when node and the nodemailer package are installed.
TEST(Serve, CourseNodemailerExampleSubmitsThroughStartTlsAndAuth) {
  if (std::system("node -e \"require('nodemailer')\" > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "node with the nodemailer package is not installed";
  const auto dir =
      std::filesystem::temp_directory_path() / ("mailscope-nodemailer-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string ca = (dir / "ca.pem").string();
  const std::string transcript = (dir / "session.txt").string();
  Server server({"serve", "cross-domain", "--speed", "20", "--expose", "smtp.gmail.com:587=0",
                 "--ca-out", ca, "--transcript", transcript});
  const std::string ready = server.line();
  const int port = ready_port(ready, "smtp.gmail.com:587");
  ASSERT_GT(port, 0) << ready;
  const std::string command = "MAILSCOPE_PORT=" + std::to_string(port) + " MAILSCOPE_CA=" + ca +
                              " node " + MAILSCOPE_SOURCE_DIR + "/docs/examples/nodemailer.js";
  EXPECT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(server.stop(), 0);
  std::ifstream in(transcript);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("C: STARTTLS"), std::string::npos);
  EXPECT_NE(text.str().find("C: AUTH PLAIN"), std::string::npos);
  EXPECT_NE(text.str().find("Subject: New Snippet"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// Python's smtplib submits with STARTTLS and AUTH, the simulation relays the message across
// domains, and imaplib and poplib read it back byte for byte (tests/cli/scripts).
TEST(Serve, PythonSmtplibImaplibPoplibAgainstTheServedLesson) {
  if (std::system("python3 -c 'import imaplib, poplib, smtplib, ssl' > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 is not installed";
  const auto ca = std::filesystem::temp_directory_path() /
                  ("mailscope-python-ca-" + std::to_string(getpid()) + ".pem");
  Server server({"serve", "cross-domain", "--speed", "50", "--expose", "smtp.outlook.com:587=0",
                 "--expose", "smtp.gmail.com:993=0", "--expose", "smtp.gmail.com:995=0", "--ca-out",
                 ca.string()});
  const std::string ready = server.line();
  const int submission = ready_port(ready, "smtp.outlook.com:587");
  const int imaps = ready_port(ready, "smtp.gmail.com:993");
  const int pop3s = ready_port(ready, "smtp.gmail.com:995");
  ASSERT_TRUE(submission > 0 && imaps > 0 && pop3s > 0) << ready;
  const std::string command = "python3 " + std::string(MAILSCOPE_SOURCE_DIR) +
                              "/tests/cli/scripts/python_clients.py " + ca.string() + " " +
                              std::to_string(submission) + " " + std::to_string(imaps) + " " +
                              std::to_string(pop3s);
  EXPECT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(server.stop(), 0);
  std::filesystem::remove(ca);
}

}  // namespace
