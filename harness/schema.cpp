#include "harness/schema.h"

#include <cctype>
#include <set>

#include "linter/util/text.h"

namespace migsafe::harness {

std::string SchemaObject::label() const {
  std::string text = kind + " " + name;
  if (!summary.empty()) text += " (" + summary + ")";
  return text;
}

void Schema::add(SchemaObject object) {
  auto key = std::make_pair(object.kind, object.name);
  objects_[key] = std::move(object);
}

const SchemaObject* Schema::find(const std::string& kind, const std::string& name) const {
  auto found = objects_.find({kind, name});
  return found == objects_.end() ? nullptr : &found->second;
}

namespace {

// Objects that belong to a table carry its name in the "table" property.
bool table_reported(const SchemaObject& object, const std::set<std::string>& tables) {
  auto table = object.properties.find("table");
  return object.kind != "table" && table != object.properties.end() && tables.count(table->second) > 0;
}

std::string show(const std::string& value) { return value.empty() ? "(none)" : value; }

}  // namespace

std::vector<SchemaDifference> diff_schemas(const Schema& expected, const Schema& actual) {
  std::vector<SchemaDifference> unexpected, missing, changed;
  std::set<std::string> unexpected_tables, missing_tables;
  for (const auto& [key, object] : actual.objects()) {
    if (expected.find(key.first, key.second) == nullptr) {
      unexpected.push_back({SchemaDifference::Kind::Unexpected, object, {}});
      if (object.kind == "table") unexpected_tables.insert(object.name);
    }
  }
  for (const auto& [key, object] : expected.objects()) {
    const SchemaObject* other = actual.find(key.first, key.second);
    if (other == nullptr) {
      missing.push_back({SchemaDifference::Kind::Missing, object, {}});
      if (object.kind == "table") missing_tables.insert(object.name);
      continue;
    }
    if (*other == object) continue;
    SchemaDifference difference{SchemaDifference::Kind::Changed, *other, {}};
    std::set<std::string> names;
    for (const auto& [name, value] : object.properties) names.insert(name);
    for (const auto& [name, value] : other->properties) names.insert(name);
    for (const auto& name : names) {
      auto before = object.properties.find(name);
      auto after = other->properties.find(name);
      std::string a = before == object.properties.end() ? "" : before->second;
      std::string b = after == other->properties.end() ? "" : after->second;
      if (a != b) difference.changes.push_back({name, a, b});
    }
    if (difference.changes.empty()) difference.changes.push_back({"definition", object.summary, other->summary});
    changed.push_back(std::move(difference));
  }
  std::vector<SchemaDifference> result;
  for (auto& d : unexpected) {
    if (!table_reported(d.object, unexpected_tables)) result.push_back(std::move(d));
  }
  for (auto& d : missing) {
    if (!table_reported(d.object, missing_tables)) result.push_back(std::move(d));
  }
  for (auto& d : changed) result.push_back(std::move(d));
  return result;
}

std::string describe_difference(const SchemaDifference& difference, const DiffWording& wording) {
  switch (difference.kind) {
    case SchemaDifference::Kind::Unexpected: return difference.object.label() + " " + wording.unexpected;
    case SchemaDifference::Kind::Missing: return difference.object.label() + " " + wording.missing;
    case SchemaDifference::Kind::Changed: {
      std::string text = difference.object.kind + " " + difference.object.name + " " + wording.changed + ":";
      bool first = true;
      for (const auto& change : difference.changes) {
        text += first ? " " : "; ";
        first = false;
        text += change.property + " " + show(change.actual) + " instead of " + show(change.expected);
      }
      return text;
    }
  }
  return difference.object.label();
}

std::string normalize_sql(const std::string& text) {
  std::string out;
  bool pending_space = false;
  auto punctuation = [](char c) { return c == '(' || c == ')' || c == ','; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      if (pending_space && !out.empty() && !punctuation(out.back())) out += ' ';
      pending_space = false;
      std::size_t end = i + 1;
      while (end < text.size()) {
        if (text[end] == close) {
          if (close != ']' && end + 1 < text.size() && text[end + 1] == close) {
            end += 2;  // doubled quote inside the literal
            continue;
          }
          break;
        }
        ++end;
      }
      out.append(text, i, end - i + 1 <= text.size() - i ? end - i + 1 : text.size() - i);
      i = end;
      continue;
    }
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {  // line comment
      while (i < text.size() && text[i] != '\n') ++i;
      pending_space = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty() && !punctuation(out.back()) && !punctuation(c)) out += ' ';
    pending_space = false;
    out += ascii_lower(c);
  }
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace migsafe::harness
