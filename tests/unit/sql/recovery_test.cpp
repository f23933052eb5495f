// Splitting and error recovery: one bad statement never hides the others, and nothing crashes or hangs.
#include <thread>

#include "sql_test_support.h"

namespace migsafe::testing {
namespace {

TEST(Recovery, EmptyRegionAndCommentsOnly) {
  EXPECT_TRUE(parse_sql("").result.statements.empty());
  EXPECT_TRUE(parse_sql("   \n\t ").result.statements.empty());
  EXPECT_TRUE(parse_sql("-- nothing here\n/* still /* nested */ nothing */\n").result.statements.empty());
  EXPECT_TRUE(parse_sql(";;;").result.statements.empty());
}

TEST(Recovery, StatementRangesStartAtTheFirstTokenAndExcludeTheSemicolon) {
  ParsedSql sql = parse_sql("-- leading comment\n  /* block */ SELECT 1 /* trailing */ ;\nSELECT 2");
  ASSERT_EQ(sql.result.statements.size(), 2u);
  EXPECT_EQ(sql.text(sql.statement(0).range), "SELECT 1");
  EXPECT_EQ(sql.start(sql.statement(0).range), (Position{2, 15}));
  EXPECT_EQ(sql.text(sql.statement(1).range), "SELECT 2");
  EXPECT_EQ(sql.start(sql.statement(1).range), (Position{3, 1}));
}

TEST(Recovery, BadStatementInTheMiddle) {
  ParsedSql sql = parse_sql(
      "CREATE TABLE a (id int);\n"
      "ALTER TABLE a ADD COLUMN;\n"
      "CREATE INDEX CONCURRENTLY i ON a (id);\n");
  ASSERT_EQ(sql.result.statements.size(), 3u);
  EXPECT_TRUE(sql.statement(0).operations.size() == 1 && sql.operation(0).is<CreateTable>());
  const Statement& bad = sql.statement(1);
  ASSERT_TRUE(bad.error);
  EXPECT_TRUE(bad.operations.empty());
  EXPECT_EQ(sql.text(bad.range), "ALTER TABLE a ADD COLUMN");
  EXPECT_EQ(bad.error->message, "syntax error at or near \";\"");
  EXPECT_EQ(sql.start(bad.error->range), (Position{2, 25}));
  EXPECT_TRUE(sql.op<CreateIndex>(2).index.concurrently);
}

TEST(Recovery, ErrorPositionCountsCharactersNotBytes) {
  ParsedSql sql = parse_sql("SELECT 'é'; SELECT 'ü', 'ö' 2;");
  ASSERT_EQ(sql.result.statements.size(), 2u);
  ASSERT_TRUE(sql.statement(1).error);
  EXPECT_EQ(sql.text(sql.statement(1).error->range), "2");
}

TEST(Recovery, UnterminatedStringKeepsEarlierStatements) {
  ParsedSql sql = parse_sql("CREATE TABLE a (id int);\nSELECT 1;\nINSERT INTO a VALUES ('oops);\nSELECT 2;\n");
  ASSERT_EQ(sql.result.statements.size(), 3u);
  EXPECT_TRUE(sql.operation(0).is<CreateTable>());
  EXPECT_FALSE(sql.statement(1).error);
  const Statement& bad = sql.statement(2);
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->message, "unterminated quoted string at or near \"'oops);\nSELECT 2;\n\"");
  EXPECT_EQ(sql.start(bad.range), (Position{3, 1}));
  EXPECT_EQ(sql.start(bad.error->range), (Position{3, 23}));
  EXPECT_EQ(bad.range.end, sql.file->text().size() - 1);
}

TEST(Recovery, UnterminatedDollarQuoteAndComment) {
  ParsedSql dollar = parse_sql("SELECT 1;\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; ");
  ASSERT_EQ(dollar.result.statements.size(), 2u);
  EXPECT_FALSE(dollar.statement(0).error);
  ASSERT_TRUE(dollar.statement(1).error);
  EXPECT_NE(dollar.statement(1).error->message.find("unterminated dollar-quoted string"), std::string::npos);
  EXPECT_EQ(dollar.start(dollar.statement(1).range), (Position{2, 1}));

  ParsedSql comment = parse_sql("SELECT 1; /* never closed\nSELECT 2;");
  ASSERT_EQ(comment.result.statements.size(), 2u);
  EXPECT_FALSE(comment.statement(0).error);
  ASSERT_TRUE(comment.statement(1).error);
  EXPECT_NE(comment.statement(1).error->message.find("unterminated /* comment"), std::string::npos);
  EXPECT_EQ(comment.start(comment.statement(1).range), (Position{1, 11}));
}

TEST(Recovery, DeepParenthesesBecomeAnErrorStatement) {
  std::string deep = "SELECT " + std::string(100000, '(') + "1" + std::string(100000, ')') + ";";
  ParsedSql sql = parse_sql("SELECT 1;\n" + deep + "\nSELECT 2;");
  ASSERT_EQ(sql.result.statements.size(), 3u);
  EXPECT_FALSE(sql.statement(0).error);
  ASSERT_TRUE(sql.statement(1).error);
  EXPECT_FALSE(sql.statement(2).error);
}

TEST(Recovery, LongOperatorChainsBecomeAnErrorStatementInsteadOfACrash) {
  // The grammar accepts left-associative chains of any length; the parser's recursive output would not.
  std::string chain = "SELECT 1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  ParsedSql sql = parse_sql(chain + ";\nSELECT 2;");
  ASSERT_EQ(sql.result.statements.size(), 2u);
  ASSERT_TRUE(sql.statement(0).error);
  EXPECT_NE(sql.statement(0).error->message.find("nested too deeply"), std::string::npos);
  EXPECT_FALSE(sql.statement(1).error);
}

TEST(Recovery, NestingBelowTheLimitStillParses) {
  std::string chain = "SELECT 1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  std::string nots = "SELECT " ;
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  ParsedSql sql = parse_sql(chain + ";\n" + nots + "true;");
  ASSERT_EQ(sql.result.statements.size(), 2u);
  EXPECT_FALSE(sql.statement(0).error);
  EXPECT_FALSE(sql.statement(1).error);
}

TEST(Recovery, NulBytesAreTreatedAsWhitespace) {
  std::string text = "SELECT 1;";
  text += '\0';
  text += "SELECT 2;";
  ParsedSql sql = parse_sql(text);
  ASSERT_EQ(sql.result.statements.size(), 2u);
  EXPECT_EQ(sql.text(sql.statement(1).range), "SELECT 2");
}

TEST(Recovery, CrlfLineEndings) {
  ParsedSql sql = parse_sql("SELECT 1;\r\nALTER TABLE t\r\n  ADD COLUMN c int;\r\n");
  ASSERT_EQ(sql.result.statements.size(), 2u);
  EXPECT_EQ(sql.start(sql.statement(1).range), (Position{2, 1}));
  EXPECT_EQ(sql.end(sql.statement(1).range), (Position{3, 19}));
  EXPECT_EQ(sql.start(sql.operation(1).range), (Position{3, 3}));
}

TEST(Recovery, ByteOrderMarkIsNotPartOfTheText) {
  ParsedSql sql = parse_sql("\xEF\xBB\xBFSELECT 1;");
  ASSERT_EQ(sql.result.statements.size(), 1u);
  EXPECT_EQ(sql.start(sql.statement(0).range), (Position{1, 1}));
}

TEST(Recovery, RegionOfALargerFile) {
  std::string text = "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n";
  auto file = std::make_shared<SourceFile>("x.sql", "x.sql", text);
  std::size_t down = text.find("-- migrate:down");
  SqlScriptResult up = parse_postgres_script(file, ByteRange{0, down});
  ASSERT_EQ(up.statements.size(), 1u);
  EXPECT_TRUE(up.statements[0].operations[0].is<CreateTable>());
  SqlScriptResult rest = parse_postgres_script(file, ByteRange{down, text.size()});
  ASSERT_EQ(rest.statements.size(), 1u);
  EXPECT_EQ(file->position_of(rest.statements[0].range.begin).line, 4);
  EXPECT_TRUE(rest.statements[0].operations[0].is<DropTable>());
  // Out-of-range regions are clamped, never read past the text.
  EXPECT_TRUE(parse_postgres_script(file, ByteRange{text.size() + 10, text.size() + 20}).statements.empty());
}

TEST(Recovery, ErrorInsideARegionPointsIntoTheFile) {
  std::string text = "SELECT 1;\nSELECT 2;\nSELEC 3;\n";
  auto file = std::make_shared<SourceFile>("x.sql", "x.sql", text);
  SqlScriptResult result = parse_postgres_script(file, ByteRange{10, text.size()});
  ASSERT_EQ(result.statements.size(), 2u);
  ASSERT_TRUE(result.statements[1].error);
  EXPECT_EQ(file->position_of(result.statements[1].error->range.begin), (Position{3, 1}));
}

TEST(Recovery, ParsesFilesInParallel) {
  std::vector<std::thread> threads;
  std::vector<std::size_t> counts(8);
  for (std::size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([t, &counts] {
      std::string text;
      for (int i = 0; i < 200; ++i) text += "ALTER TABLE t" + std::to_string(t) + " ADD COLUMN c" + std::to_string(i) + " int; bad;\n";
      counts[t] = parse_sql(text).result.statements.size();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t count : counts) EXPECT_EQ(count, 400u);
}

}  // namespace
}  // namespace migsafe::testing
