// A canonical, engine-neutral snapshot of a database schema, and a readable diff between two snapshots.
// Objects are keyed by kind and qualified name; everything else is a sorted property map, so two
// snapshots compare equal exactly when the schema is the same, whichever engine produced them.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace migsafe::harness {

struct SchemaObject {
  std::string kind;     // "table", "column", "index", "constraint", "sequence", "type", "view", ...
  std::string name;     // qualified where needed: "users.avatar_url", "billing.invoices"
  std::string summary;  // shown in parentheses in diffs: a column's type, an index's definition
  std::map<std::string, std::string> properties;
  bool operator==(const SchemaObject&) const = default;
  std::string label() const;  // "column users.avatar_url (text)"
};

class Schema {
 public:
  void add(SchemaObject object);
  const std::map<std::pair<std::string, std::string>, SchemaObject>& objects() const { return objects_; }
  const SchemaObject* find(const std::string& kind, const std::string& name) const;
  bool operator==(const Schema&) const = default;
  std::size_t size() const { return objects_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, SchemaObject> objects_;
};

struct PropertyChange {
  std::string property;
  std::string expected;  // "" = absent
  std::string actual;
};

struct SchemaDifference {
  enum class Kind { Unexpected, Missing, Changed };
  Kind kind;
  SchemaObject object;  // the actual object (Unexpected/Changed) or the expected one (Missing)
  std::vector<PropertyChange> changes;  // Changed only
};

// Differences of `actual` against `expected`. A column whose table is itself unexpected/missing is not
// listed separately (the table line says it all); the same for a table's indexes and constraints.
std::vector<SchemaDifference> diff_schemas(const Schema& expected, const Schema& actual);

// Wording for one comparison, e.g. after a downgrade: unexpected = "still exists after downgrade of X",
// missing = "is missing after downgrade of X (it existed before the upgrade)", changed = "differs after
// downgrade of X from before the upgrade".
struct DiffWording {
  std::string unexpected;
  std::string missing;
  std::string changed;
};
std::string describe_difference(const SchemaDifference& difference, const DiffWording& wording);

// Canonical text of an SQL fragment for comparison: whitespace runs outside quotes collapse to one
// space, spaces next to ( ) , are removed, and unquoted text is lower-cased.
std::string normalize_sql(const std::string& text);

}  // namespace migsafe::harness
