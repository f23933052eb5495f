// JsonWriter must print exactly what nlohmann's dump(2, ' ', false, replace) prints: the json, sarif and
// gitlab reports were made that way and consumers diff them.
#include <gtest/gtest.h>

#include <vector>
#include <sstream>
#include <string>

#include "linter/report/json_writer.h"
#include "tests/unit/random_text.h"

namespace migsafe {
namespace {

using Json = nlohmann::ordered_json;

std::string nlohmann_string(const std::string& text) {
  return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string written_string(std::string_view text) {
  std::string out = "prefix";
  append_json_string(out, text);
  return out.substr(6);
}

TEST(JsonWriter, StringsAsNlohmannWritesThem) {
  for (std::string text : {std::string(), std::string("plain ascii text that is longer than eight bytes"),
                           std::string("quote \" backslash \\ tab \t newline \n cr \r ff \f bs \b"),
                           std::string("nul \0 and \x01 \x1f \x7f", 17), std::string("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80"),
                           std::string("bad \xff byte"), std::string("truncated \xe2\x80"), std::string("\xc0\xaf overlong"),
                           std::string("\xed\xa0\x80 surrogate"), std::string("\xf4\x90\x80\x80 too high")}) {
    EXPECT_EQ(written_string(text), nlohmann_string(text)) << text;
  }
}

TEST(JsonWriter, RandomBytesAsNlohmannWritesThem) {
  static const char* const kPieces[] = {"a", "bcdefghij", " ", "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9",
                                        "\xe2\x80\x94", "\xf0\x9f\x98\x80", "\xc3", "\xe2\x80", "\x80", "\xff",
                                        "\xed\xa0\x80", "\xe0\x80\x80", "\xf4\x90\x80\x80", "\xf0\x90\x80\x80"};
  for (const std::string& text : testing::random_texts(kPieces, 7, 30, 20000)) {
    ASSERT_EQ(written_string(text), nlohmann_string(text)) << text;
  }
}

// The scan skips 8 or 16 plain bytes at a time: a special byte at every offset of a long run.
TEST(JsonWriter, SpecialBytesAtEveryOffset) {
  for (std::string special : {"\"", "\\", "\n", "\x01", "\x7f", "\xc3\xa9", "\xe2\x80\x94", "\xff", "\xc3"}) {
    for (std::size_t offset = 0; offset <= 40; ++offset) {
      std::string text = std::string(offset, 'a') + special + std::string(40 - offset / 2, 'b');
      ASSERT_EQ(written_string(text), nlohmann_string(text)) << offset;
      text = std::string(offset, 'a') + special;
      ASSERT_EQ(written_string(text), nlohmann_string(text)) << offset;
    }
  }
}

TEST(JsonWriter, LayoutAsDumpWithIndentTwo) {
  Json nested{{"x", 1}, {"list", Json::array({1, "two", nullptr})}, {"empty", Json::object()}};
  Json document{{"a", "text"},  {"n", -42},
                {"empty_object", Json::object()},
                {"empty_array", Json::array()},
                {"objects", Json::array({Json{{"k", "v"}}, Json::object(), Json::array()})},
                {"value", nested}};
  std::ostringstream stream;
  JsonWriter json(stream);
  json.begin_object();
  json.key("a").string("text");
  json.key("n").number(-42);
  json.key("empty_object").begin_object();
  json.end_object();
  json.key("empty_array").begin_array();
  json.end_array();
  json.key("objects").begin_array();
  json.begin_object();
  json.key("k").string("v");
  json.end_object();
  json.begin_object();
  json.end_object();
  json.begin_array();
  json.end_array();
  json.end_array();
  json.key("value").value(nested);
  json.end_object();
  json.finish();
  EXPECT_EQ(stream.str(), document.dump(2, ' ', false, Json::error_handler_t::replace));
}

// Documents larger than the writer's 64 KiB block, with strings longer than a block among them: the
// text reaches the stream in several writes and must still be exactly dump()'s.
TEST(JsonWriter, LargeDocumentsAcrossBlocks) {
  Json document = Json::array();
  std::ostringstream stream;
  JsonWriter json(stream);
  json.begin_array();
  for (int i = 0; i < 3000; ++i) {
    std::string text(static_cast<std::size_t>(i % 97), static_cast<char>('a' + i % 26));
    if (i % 7 == 0) text += "\"quoted\"\n";
    if (i == 1500) text = std::string(200000, 'x') + "\t";
    document.push_back(Json{{"index", i}, {"text", text}, {"list", Json::array({i, nullptr})}});
    json.begin_object();
    json.key("index").number(i);
    json.key("text").string(text);
    json.key("list").begin_array();
    json.number(i);
    json.null();
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.finish();
  EXPECT_EQ(stream.str(), document.dump(2, ' ', false, Json::error_handler_t::replace));
}

}  // namespace
}  // namespace migsafe
