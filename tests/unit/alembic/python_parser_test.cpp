// The Python tokenizer and parser: literal forms, nesting, logical lines, error positions, and
// constructs that are read through without being interpreted.
#include <gtest/gtest.h>

#include "linter/alembic/python_ast.h"
#include "linter/alembic/python_lexer.h"

namespace migsafe::python {
namespace {

// The value of the string literal that is the whole right-hand side of the first statement.
const Expr& first_value(const Module& module) {
  EXPECT_FALSE(module.error) << module.error->message;
  EXPECT_FALSE(module.body.empty());
  return *module.body.front()->value;
}

std::string string_value(std::string_view source) {
  Module module = parse_module(source);
  if (module.error) return "<error: " + module.error->message + ">";
  const Expr& value = *module.body.front()->value;
  if (value.kind != ExprKind::String) return "<not a string>";
  if (!value.is_static) return "<dynamic>";
  return value.value;
}

int error_line(std::string_view source) {
  Module module = parse_module(source);
  if (!module.error) return 0;
  SourceFile file("t.py", "t.py", std::string(source));
  return file.position_of(module.error->offset).line;
}

TEST(PythonLexer, LogicalLinesJoinInsideBracketsAndAfterBackslash) {
  LexResult lexed = tokenize("x = (1,\n     2)\ny = 1 + \\\n    2\n");
  ASSERT_FALSE(lexed.error);
  int newlines = 0;
  for (const Token& token : lexed.tokens) newlines += token.kind == TokenKind::Newline;
  EXPECT_EQ(newlines, 2);
}

TEST(PythonLexer, IndentationWithTabsAndCrlf) {
  LexResult lexed = tokenize("def f():\r\n\tif x:\r\n\t\treturn 1\r\n\treturn 2\r\n");
  ASSERT_FALSE(lexed.error);
  int indents = 0, dedents = 0;
  for (const Token& token : lexed.tokens) {
    indents += token.kind == TokenKind::Indent;
    dedents += token.kind == TokenKind::Dedent;
  }
  EXPECT_EQ(indents, 2);
  EXPECT_EQ(dedents, 2);
}

TEST(PythonLexer, LoneCarriageReturnsEndLines) {
  Module module = parse_module("a = 1\rb = 2\r");
  ASSERT_FALSE(module.error);
  EXPECT_EQ(module.body.size(), 2u);
}

TEST(PythonLexer, CommentsAreKeptWithTheirKind) {
  LexResult lexed = tokenize("# own line\nx = 1  # trailing\n    # indented own line\n");
  ASSERT_FALSE(lexed.error);
  ASSERT_EQ(lexed.comments.size(), 3u);
  EXPECT_TRUE(lexed.comments[0].own_line);
  EXPECT_FALSE(lexed.comments[1].own_line);
  EXPECT_TRUE(lexed.comments[2].own_line);
}

TEST(PythonStrings, EveryLiteralForm) {
  EXPECT_EQ(string_value("x = 'single'"), "single");
  EXPECT_EQ(string_value("x = \"double\""), "double");
  EXPECT_EQ(string_value("x = '''triple\nline'''"), "triple\nline");
  EXPECT_EQ(string_value("x = \"\"\"triple \"quoted\" \"\"\""), "triple \"quoted\" ");
  EXPECT_EQ(string_value("x = r'raw\\n'"), "raw\\n");
  EXPECT_EQ(string_value("x = R\"raw\\\"q\""), "raw\\\"q");
  EXPECT_EQ(string_value("x = u'unicode'"), "unicode");
  EXPECT_EQ(string_value("x = b'bytes'"), "bytes");
  EXPECT_EQ(string_value("x = rb'raw bytes\\d'"), "raw bytes\\d");
  EXPECT_EQ(string_value("x = 'implicit' \"concat\" '''enation'''"), "implicitconcatenation");
  EXPECT_EQ(string_value("x = ('a'\n     'b')"), "ab");
  EXPECT_EQ(string_value("x = f'no fields {{here}}'"), "no fields {here}");
  EXPECT_EQ(string_value("x = f'{table}'"), "<dynamic>");
  EXPECT_EQ(string_value("x = 'it''s'"), "its");
  EXPECT_EQ(string_value("x = ''"), "");
  EXPECT_EQ(string_value("x = ''''''"), "");
}

TEST(PythonStrings, EscapeSequences) {
  EXPECT_EQ(string_value("x = 'a\\nb\\tc\\\\d\\'e'"), "a\nb\tc\\d'e");
  EXPECT_EQ(string_value("x = '\\x41\\101\\u00e9'"), "AA\xC3\xA9");
  EXPECT_EQ(string_value("x = 'line \\\ncontinued'"), "line continued");
  EXPECT_EQ(string_value("x = '\\d unknown'"), "\\d unknown");
}

TEST(PythonStrings, CrlfInTripleQuotedStringsReadsAsLf) {
  EXPECT_EQ(string_value("x = '''a\r\nb'''\r\n"), "a\nb");
}

TEST(PythonStrings, OffsetsPointIntoTheSource) {
  std::string source = "x = 'ab' \"cd\"";
  Module module = parse_module(source);
  const Expr& value = first_value(module);
  ASSERT_EQ(value.value_offsets.size(), 5u);
  EXPECT_EQ(source[value.value_offsets[0]], 'a');
  EXPECT_EQ(source[value.value_offsets[2]], 'c');
  EXPECT_EQ(source[value.value_offsets[4]], '"');  // closing quote of the last piece
  EXPECT_TRUE(value.has_escapes);

  Module plain = parse_module("x = 'plain'");
  EXPECT_FALSE(first_value(plain).has_escapes);
}

TEST(PythonExpressions, CallsWithPositionalAndKeywordArguments) {
  Module module = parse_module("op.add_column('users', sa.Column('email', sa.String(255), nullable=False), schema=None)\n");
  ASSERT_FALSE(module.error);
  const Expr& call = *module.body.front()->value;
  ASSERT_EQ(call.kind, ExprKind::Call);
  EXPECT_EQ(call.base->dotted(), "op.add_column");
  ASSERT_EQ(call.items.size(), 2u);
  ASSERT_EQ(call.keywords.size(), 1u);
  EXPECT_EQ(call.keywords[0].name, "schema");
  EXPECT_TRUE(call.keywords[0].value->is_constant("None"));
  const Expr& column = *call.items[1];
  EXPECT_EQ(column.base->dotted(), "sa.Column");
  EXPECT_EQ(column.keyword("nullable")->value->name, "False");
  EXPECT_EQ(column.argument(1, "type_")->base->dotted(), "sa.String");
}

TEST(PythonExpressions, ContainersAndNesting) {
  Module module = parse_module(
      "x = {'a': [1, 2.5, -3], 'b': (True, None), **extra}\n"
      "y = {1, 2}\n"
      "z = ()\n"
      "w = (1,)\n");
  ASSERT_FALSE(module.error);
  const Expr& dict = *module.body[0]->value;
  EXPECT_EQ(dict.kind, ExprKind::Dict);
  EXPECT_EQ(dict.items.size(), 6u);
  EXPECT_EQ(module.body[1]->value->kind, ExprKind::Set);
  EXPECT_EQ(module.body[2]->value->kind, ExprKind::Tuple);
  EXPECT_EQ(module.body[3]->value->kind, ExprKind::Tuple);
  EXPECT_EQ(module.body[3]->value->items.size(), 1u);
}

TEST(PythonExpressions, FullExpressionGrammarIsRead) {
  Module module = parse_module(
      "a = [x for x in range(3) if x]\n"
      "b = lambda x, y=1: x + y\n"
      "c = 1 if a else 2\n"
      "d = not a and b or c\n"
      "e = a[1:2, ::3]\n"
      "f = x ** -y // 2 @ m\n"
      "g = (y := 3)\n"
      "h = await_ = 1\n"
      "i = a is not b, c not in d\n"
      "j = {k: v for k, v in items}\n"
      "k = f(*args, **kw)\n"
      "l = f(x for x in y)\n");
  EXPECT_FALSE(module.error) << module.error->message;
  EXPECT_EQ(module.body.size(), 12u);
}

TEST(PythonStatements, AssignmentForms) {
  Module module = parse_module(
      "revision = 'a1'\n"
      "down_revision: Union[str, Sequence[str], None] = ('b', 'c')\n"
      "branch_labels: str | None = None\n"
      "x = y = 1\n"
      "n += 1\n"
      "value: int\n");
  ASSERT_FALSE(module.error);
  EXPECT_EQ(module.body[0]->kind, StmtKind::Assign);
  EXPECT_EQ(module.body[1]->kind, StmtKind::AnnAssign);
  EXPECT_EQ(module.body[1]->targets[0]->name, "down_revision");
  EXPECT_EQ(module.body[1]->value->kind, ExprKind::Tuple);
  EXPECT_EQ(module.body[2]->annotation->kind, ExprKind::Binary);
  EXPECT_EQ(module.body[3]->targets.size(), 2u);
  EXPECT_EQ(module.body[4]->kind, StmtKind::AugAssign);
  EXPECT_EQ(module.body[5]->value, nullptr);
}

TEST(PythonStatements, ImportsBindTheirNames) {
  Module module = parse_module(
      "import sqlalchemy as sa\n"
      "import sqlalchemy.dialects.postgresql\n"
      "from alembic import op\n"
      "from sqlalchemy.dialects import postgresql as pg, mysql\n"
      "from sqlalchemy import (\n    Column,\n    Integer,\n)\n"
      "from . import helpers\n");
  ASSERT_FALSE(module.error);
  EXPECT_EQ(module.body[0]->imports[0].alias, "sa");
  EXPECT_EQ(module.body[1]->imports[0].alias, "sqlalchemy");
  EXPECT_EQ(module.body[2]->imports[0].module, "alembic");
  EXPECT_EQ(module.body[2]->imports[0].name, "op");
  EXPECT_EQ(module.body[3]->imports[0].alias, "pg");
  EXPECT_EQ(module.body[3]->imports[1].alias, "mysql");
  EXPECT_EQ(module.body[4]->imports.size(), 2u);
  EXPECT_EQ(module.body[5]->imports[0].module, ".");
}

TEST(PythonStatements, FunctionsWithAnnotationsAndParameters) {
  Module module = parse_module(
      "def upgrade() -> None:\n    pass\n"
      "def downgrade(engine_name: str = '') -> None:\n    \"\"\"doc\"\"\"\n"
      "def helper(a, /, b=1, *args, c, **kw): return a\n");
  ASSERT_FALSE(module.error);
  ASSERT_EQ(module.body.size(), 3u);
  EXPECT_EQ(module.body[0]->name, "upgrade");
  EXPECT_EQ(module.body[1]->params, std::vector<std::string>{"engine_name"});
  EXPECT_EQ(module.body[2]->params, (std::vector<std::string>{"a", "b", "args", "c", "kw"}));
  EXPECT_EQ(module.body[2]->body.size(), 1u);
}

TEST(PythonStatements, WithForIfBlocks) {
  Module module = parse_module(
      "def upgrade():\n"
      "    with op.get_context().autocommit_block():\n"
      "        op.create_index('ix', 't', ['c'], postgresql_concurrently=True)\n"
      "    with op.batch_alter_table('t') as batch_op, other() as (a, b):\n"
      "        batch_op.drop_column('c')\n"
      "    with (open('a') as f, open('b') as g):\n"
      "        pass\n"
      "    for row in rows:\n"
      "        pass\n"
      "    else:\n"
      "        pass\n"
      "    if a:\n"
      "        pass\n"
      "    elif b:\n"
      "        pass\n"
      "    else:\n"
      "        pass\n");
  ASSERT_FALSE(module.error) << module.error->message;
  const Stmt& function = *module.body[0];
  ASSERT_EQ(function.body.size(), 5u);
  EXPECT_EQ(function.body[0]->kind, StmtKind::With);
  EXPECT_EQ(function.body[1]->with_items.size(), 2u);
  EXPECT_EQ(function.body[1]->with_items[0].target->name, "batch_op");
  EXPECT_EQ(function.body[2]->with_items.size(), 2u);
  EXPECT_EQ(function.body[3]->kind, StmtKind::For);
  EXPECT_EQ(function.body[3]->orelse.size(), 1u);
  EXPECT_EQ(function.body[4]->kind, StmtKind::If);
  ASSERT_EQ(function.body[4]->orelse.size(), 1u);
  EXPECT_EQ(function.body[4]->orelse[0]->kind, StmtKind::If);  // elif
}

TEST(PythonStatements, UnsupportedConstructsAreReadThrough) {
  Module module = parse_module(
      "@decorator(1)\n"
      "class Model(Base, metaclass=Meta):\n"
      "    x: int = 1\n"
      "    def method(self):\n"
      "        op.drop_table('inside_class')\n"
      "try:\n"
      "    import fancy\n"
      "except (ImportError, AttributeError) as error:\n"
      "    fancy = None\n"
      "else:\n"
      "    pass\n"
      "finally:\n"
      "    pass\n"
      "while running:\n"
      "    break\n"
      "match command:\n"
      "    case [x, y]:\n"
      "        pass\n"
      "    case _:\n"
      "        pass\n"
      "async def coroutine():\n"
      "    await thing()\n"
      "global g\n"
      "del x[0]\n"
      "assert x, 'message'\n"
      "type Alias = list[int]\n"
      "match = 1\n");
  ASSERT_FALSE(module.error) << module.error->message;
  EXPECT_EQ(module.body[0]->kind, StmtKind::Other);
  EXPECT_EQ(module.body[0]->name, "class");
  EXPECT_EQ(module.body[0]->body.size(), 2u);
  EXPECT_EQ(module.body[1]->name, "try");
  EXPECT_EQ(module.body[3]->name, "match");
  EXPECT_EQ(module.body.back()->kind, StmtKind::Assign);
}

TEST(PythonErrors, ReportTheLineOfTheProblem) {
  EXPECT_EQ(error_line("x = 1\ny = (1,\nz = 3\n"), 2);            // never closed
  EXPECT_EQ(error_line("a = 1\nb = 'unterminated\n"), 2);
  EXPECT_EQ(error_line("a = 1\n\nop.add_column('t',, x)\n"), 3);
  EXPECT_EQ(error_line("def f():\n    x = 1\n  y = 2\n"), 3);      // inconsistent dedent
  EXPECT_EQ(error_line("def f():\nreturn 1\n"), 2);                // expected an indented block
  EXPECT_EQ(error_line("x = 1\n    y = 2\n"), 2);                  // unexpected indent
  EXPECT_EQ(error_line("print 'python 2'\n"), 1);
  EXPECT_EQ(error_line("x = ]\n"), 1);
  EXPECT_EQ(error_line("x = 1 $ 2\n"), 1);
  EXPECT_EQ(error_line("s = '''never\nclosed\n"), 1);
  EXPECT_EQ(error_line("if x\n    pass\n"), 1);
  EXPECT_EQ(error_line("def f(:\n    pass\n"), 1);
  EXPECT_EQ(error_line("try:\n    pass\nx = 1\n"), 3);
}

TEST(PythonErrors, StatementsBeforeTheErrorAreKept) {
  Module module = parse_module("revision = 'abc'\ndown_revision = None\ndef upgrade(:\n");
  ASSERT_TRUE(module.error);
  EXPECT_EQ(module.body.size(), 2u);
}

TEST(PythonErrors, EmptyAndCommentOnlyFilesParse) {
  EXPECT_FALSE(parse_module("").error);
  EXPECT_FALSE(parse_module("# just a comment").error);
  EXPECT_FALSE(parse_module("\n\n   \n").error);
  EXPECT_FALSE(parse_module("x = 1").error);  // no final newline
}

TEST(PythonStatements, StatementRangesCoverTheirText) {
  std::string source = "def upgrade():\n    op.drop_table('t')  # c\n\nx = 1\n";
  Module module = parse_module(source);
  ASSERT_FALSE(module.error);
  const Stmt& function = *module.body[0];
  EXPECT_EQ(source.substr(function.header.begin, function.header.end - function.header.begin), "def upgrade():");
  const Stmt& call = *function.body[0];
  EXPECT_EQ(source.substr(call.range.begin, call.range.end - call.range.begin), "op.drop_table('t')");
}

}  // namespace
}  // namespace migsafe::python
