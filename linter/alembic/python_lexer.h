// Python tokenizer for Alembic revision files. It follows Python's own tokenizer where revision files
// need it: logical lines (implicit joining inside brackets, backslash continuations), INDENT/DEDENT
// from indentation (tabs to multiples of 8), every string-literal form, LF/CRLF/CR line ends. Comments
// are kept on the side (suppression comments, empty-body detection). Offsets are bytes into the text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/source.h"

namespace migsafe::python {

enum class TokenKind { Name, Number, String, Op, Newline, Indent, Dedent, EndOfFile };

struct Token {
  TokenKind kind = TokenKind::EndOfFile;
  ByteRange range;
  std::string_view text;  // view into the tokenized text (empty for INDENT/DEDENT/EOF)
};

struct Comment {
  ByteRange range;     // from '#' to the end of the line
  bool own_line = false;  // nothing but whitespace before it on its line
};

struct SyntaxIssue {
  std::string message;
  std::size_t offset = 0;
};

struct LexResult {
  std::vector<Token> tokens;  // always ends with EndOfFile, also after an error
  std::vector<Comment> comments;
  std::optional<SyntaxIssue> error;  // first error; tokens stop there
};

LexResult tokenize(std::string_view text);

// True for the characters a string prefix may contain (r, b, u, f in either case).
bool is_string_prefix(std::string_view prefix);

}  // namespace migsafe::python
