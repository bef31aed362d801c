#include "tls/key_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace mailscope::tls {
namespace {

const std::string kRandom(64, 'a');

TEST(KeyLog, ParsesWellFormedLines) {
  auto line = parse_key_log_line("CLIENT_TRAFFIC_SECRET_0 " + kRandom + " 0011ff");
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->label, "CLIENT_TRAFFIC_SECRET_0");
  EXPECT_EQ(line->client_random, kRandom);
  EXPECT_EQ(line->secret, "0011ff");
}

TEST(KeyLog, RejectsMalformedLines) {
  struct Case {
    std::string line;
    const char* where;
    std::size_t offset;
  };
  const Case cases[] = {
      {"CLIENT_RANDOM", "key log line", 0},                                    // one field
      {"CLIENT_RANDOM " + kRandom, "key log line", 0},                         // two fields
      {"client_random " + kRandom + " 00", "label", 0},                        // lower-case label
      {"CLIENT_RANDOM " + kRandom.substr(1) + " 00", "client_random", 14},     // 63 digits
      {"CLIENT_RANDOM " + std::string(64, 'g') + " 00", "client_random", 14},  // not hex
      {"CLIENT_RANDOM " + kRandom + " 0", "secret", 79},                       // odd length
      {"CLIENT_RANDOM " + kRandom + " ", "secret", 79},                        // empty secret
      {"CLIENT_RANDOM " + kRandom + " 00 11", "secret", 79},                   // a fourth field
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.line);
    auto line = parse_key_log_line(test.line);
    ASSERT_FALSE(line.ok());
    EXPECT_EQ(line.error().where, test.where);
    EXPECT_EQ(line.error().offset, test.offset);
  }
}

TEST(KeyLog, CollectsAndWritesLinesInOrder) {
  KeyLog log;
  auto hook = log.collector();
  hook("A " + kRandom + " 00");
  log.add("B " + kRandom + " 11");
  EXPECT_EQ(log.lines().size(), 2u);
  const std::string expected = "A " + kRandom + " 00\nB " + kRandom + " 11\n";
  EXPECT_EQ(log.text(), expected);

  const std::string path = ::testing::TempDir() + "/mailscope_keylog_test.txt";
  auto written = log.write_file(path);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, expected.size());
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  EXPECT_EQ(contents.str(), expected);
}

TEST(KeyLog, WriteToAnImpossiblePathIsAnError) {
  KeyLog log;
  auto written = log.write_file("/nonexistent-directory/keys.txt");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().where, "/nonexistent-directory/keys.txt");
}

TEST(KeyLog, StopsAtTheLineLimitAndCountsTheRest) {
  KeyLog log;
  for (std::size_t i = 0; i < KeyLog::kLinesMax + 3; ++i)
    log.add("X");
  EXPECT_EQ(log.lines().size(), KeyLog::kLinesMax);
  EXPECT_EQ(log.dropped(), 3u);
}

}  // namespace
}  // namespace mailscope::tls
