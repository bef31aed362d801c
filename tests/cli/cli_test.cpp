// The mailscope program as a user meets it: exit codes, error messages, exports.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr together
};

Outcome mailscope(const std::string& arguments) {
  const std::string command = std::string(MAILSCOPE_BINARY) + " " + arguments + " 2>&1";
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    outcome.output.append(buffer.data(), n);
  const int raw = pclose(pipe);
  outcome.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return outcome;
}

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("mailscope-cli-" + std::to_string(getpid()) + "-" + name);
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = temp_path(name);
  std::ofstream(path) << text;
  return path.string();
}

std::string bundled(const std::string& id) {
  return std::string(MAILSCOPE_SOURCE_DIR) + "/scenarios/" + id + ".json";
}

TEST(Cli, ListShowsEveryBundledLessonWithItsLevel) {
  const Outcome out = mailscope("list");
  EXPECT_EQ(out.status, 0);
  EXPECT_NE(out.output.find("cross-domain          beginner"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("lossy-wan"), std::string::npos);
}

TEST(Cli, ValidateAcceptsBundledLessons) {
  const Outcome out = mailscope("validate " + bundled("same-domain") + " " + bundled("lossy-wan"));
  EXPECT_EQ(out.status, 0) << out.output;
}

TEST(Cli, ValidateReportsEveryErrorWithItsPosition) {
  const std::string bad = write_temp("bad.json", "{\n  \"id\": \"x\",\n  \"titel\": 3\n}\n");
  const Outcome out = mailscope("validate " + bad);
  EXPECT_EQ(out.status, 2);
  EXPECT_NE(out.output.find(bad + ":3:"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("did you mean"), std::string::npos) << out.output;
}

TEST(Cli, RunExitsZeroWhenTheExpectationsHold) {
  const Outcome out = mailscope("run open-relay");
  EXPECT_EQ(out.status, 0) << out.output;
  EXPECT_NE(out.output.find("S: 554 5.7.1"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("PASS  "), std::string::npos);
}

TEST(Cli, RunExitsOneWhenAnExpectationFails) {
  // open-relay with the relay attempt removed: the 554 it expects never comes.
  std::ifstream in(bundled("open-relay"));
  std::stringstream text;
  text << in.rdbuf();
  std::string scenario = text.str();
  const std::size_t timeline = scenario.find("\"timeline\"");
  const std::size_t end = scenario.find("\"narration\": [");
  ASSERT_NE(timeline, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  scenario.replace(timeline, end - timeline, "\"timeline\": [],\n  ");
  const Outcome out = mailscope("run --quiet " + write_temp("no-attempt.json", scenario));
  EXPECT_EQ(out.status, 1) << out.output;
  EXPECT_NE(out.output.find("FAIL  "), std::string::npos) << out.output;
}

TEST(Cli, UsageAndScenarioErrorsExitTwo) {
  EXPECT_EQ(mailscope("run no-such-lesson").status, 2);
  EXPECT_EQ(mailscope("run open-relay --layers 9").status, 2);
  EXPECT_EQ(mailscope("run --no-such-flag").status, 2);
  EXPECT_EQ(mailscope("").status, 2);
}

TEST(Cli, RunWritesEveryExport) {
  const auto dir = temp_path("exports");
  std::filesystem::create_directories(dir);
  const std::string base = (dir / "run").string();
  const Outcome out = mailscope("run submission-starttls --quiet --transcript " + base +
                                ".txt --json " + base + ".json --pcap " + base + ".pcap --keylog " +
                                base + ".keys --html " + base + ".html");
  EXPECT_EQ(out.status, 0) << out.output;
  for (const char* ext : {".txt", ".json", ".pcap", ".keys", ".html"})
    EXPECT_GT(std::filesystem::file_size(base + ext), 100u) << ext;
  std::filesystem::remove_all(dir);
}

TEST(Cli, SameSeedSameTranscript) {
  const auto a = temp_path("a.txt").string();
  const auto b = temp_path("b.txt").string();
  ASSERT_EQ(mailscope("run open-relay --quiet --seed 5 --transcript " + a).status, 0);
  ASSERT_EQ(mailscope("run open-relay --quiet --seed 5 --transcript " + b).status, 0);
  std::ifstream fa(a), fb(b);
  std::stringstream sa, sb;
  sa << fa.rdbuf();
  sb << fb.rdbuf();
  EXPECT_FALSE(sa.str().empty());
  EXPECT_EQ(sa.str(), sb.str());
}

}  // namespace
