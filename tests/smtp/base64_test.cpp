#include "proto/smtp/base64.h"

#include <gtest/gtest.h>

namespace mailscope::smtp {
namespace {

struct Vector {
  std::string_view plain;
  std::string_view encoded;
};

// RFC 4648 §10 test vectors, plus the SASL strings SMTP uses.
constexpr Vector kVectors[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
    {"Username:", "VXNlcm5hbWU6"},
    {"Password:", "UGFzc3dvcmQ6"},
    {std::string_view("\0alice\0s3cret", 13), "AGFsaWNlAHMzY3JldA=="},
};

TEST(Base64, EncodesAndDecodesKnownVectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(base64_encode(v.plain), v.encoded);
    auto decoded = base64_decode(v.encoded);
    ASSERT_TRUE(decoded.ok()) << v.encoded;
    EXPECT_EQ(*decoded, v.plain);
  }
}

TEST(Base64, DecoderIsStrict) {
  const char* bad[] = {
      "Zg",         // length not a multiple of 4
      "Zg=a",       // data after padding
      "Z===",       // padding in the second place
      "Zg==Zm9v",   // padding before the last group
      "Zm9v Yg==",  // whitespace
      "Zh==",       // non-zero bits under the padding
      "Zm9*",       // character outside the alphabet
  };
  for (const char* text : bad) {
    EXPECT_FALSE(base64_decode(text).ok()) << text;
  }
}

TEST(Base64, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::string part = all.substr(0, n);
    auto decoded = base64_decode(base64_encode(part));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, part);
  }
}

}  // namespace
}  // namespace mailscope::smtp
