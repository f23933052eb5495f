// The rule interface. A rule is one class in one file under rules/, with its metadata (RuleInfo) next
// to its code, registered with MIGSAFE_REGISTER_RULE. Rules are stateless and const: all state lives in
// the contexts the engine passes in, so files can be linted in parallel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "linter/engine/context.h"
#include "linter/model/dialect.h"
#include "linter/model/finding.h"

namespace migsafe {

enum class RuleCategory { Locks, Compatibility, History, Meta, Style, RoundTrip };
const char* to_string(RuleCategory category);

// Engines a rule applies to (bit set).
enum EngineMask : unsigned {
  kPostgres = 1u << 0,
  kMySQL = 1u << 1,  // MySQL and MariaDB
  kSQLite = 1u << 2,
  kAllEngines = kPostgres | kMySQL | kSQLite,
};
bool applies_to(unsigned engines, Dialect dialect);

// Everything users read about a rule: `migsafe explain`, docs/rules/ID.md, SARIF rules[] and the
// summary tables are all generated from this one struct.
struct RuleInfo {
  std::string_view id;                 // kebab-case, stable forever (rule-catalog.md)
  Severity default_severity = Severity::Error;
  RuleCategory category = RuleCategory::Locks;
  unsigned engines = kAllEngines;
  bool enabled_by_default = true;      // style rules are opt-in with `select`
  std::string_view summary;            // one sentence, under 1024 characters
  std::string_view what_it_does;       // what the rule flags
  std::string_view why;                // what happens in production, and why
  std::string_view safe_alternative;   // the recipe, step by step
  std::string_view bad_example;        // SQL (or Alembic) that triggers the rule
  std::string_view good_example;       // the safe form
  std::string_view lock;               // lock taken (PostgreSQL), empty when not relevant
  std::string_view versions;           // version notes ("PostgreSQL < 11 rewrites ...")
  std::string_view references;         // links or document names
};

// A set of operation kinds (alternatives of OperationData), one bit per alternative. A rule names the
// kinds its check_operation inspects, and the engine calls it only for those: most rules look at one
// or two of the 41 kinds, and calling every rule for every operation was most of the engine's time.
using OperationKinds = std::uint64_t;
inline constexpr std::size_t kOperationKindCount = std::variant_size_v<OperationData>;
static_assert(kOperationKindCount <= 64, "OperationKinds has one bit per OperationData alternative");
inline constexpr OperationKinds kEveryOperationKind = ~OperationKinds{0};

// Position of `T` among the alternatives of OperationData (what Operation::data.index() returns for it).
template <class T, std::size_t I = 0>
constexpr std::size_t operation_kind_index() {
  static_assert(I < kOperationKindCount, "not an OperationData alternative");
  if constexpr (std::is_same_v<std::variant_alternative_t<I, OperationData>, T>) {
    return I;
  } else {
    return operation_kind_index<T, I + 1>();
  }
}

// operation_kinds<AddColumn, AddConstraint>(): the set holding exactly those kinds.
template <class... Kinds>
constexpr OperationKinds operation_kinds() {
  return ((OperationKinds{1} << operation_kind_index<Kinds>()) | ...);
}

inline bool includes_kind(OperationKinds kinds, const Operation& op) { return (kinds >> op.data.index()) & 1u; }

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  // Every operation of every upgrade script, in order, with the state as it was before the operation;
  // only operations of the kinds in inspected_operations() (the engine skips the others).
  virtual void check_operation(const OperationContext& context) const {}
  // The kinds check_operation looks at: declare it next to check_operation, with the same types its
  // `op.as<...>()` calls name. Rules that judge every operation (lock tracking) keep the default.
  // tests/unit/rules/dispatch_test.cpp lints every fixture both ways and fails on any difference.
  virtual OperationKinds inspected_operations() const { return kEveryOperationKind; }
  // Every statement that failed to parse (only the syntax-error rule uses this).
  virtual void check_statement(const StatementContext& context) const {}
  // Once per migration, after its operations (downgrade checks, transaction nesting).
  virtual void check_migration(const MigrationContext& context) const {}
  // Once per project (revision graph checks).
  virtual void check_project(const ProjectContext& context) const {}
};

class RuleRegistry {
 public:
  static RuleRegistry& instance();
  void add(std::unique_ptr<Rule> rule);
  // Sorted by id.
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  const Rule* find(std::string_view id) const;
  // Metadata for ids that have no Rule object (round-trip results reported by the harness).
  void add_info(const RuleInfo* info);
  const std::vector<const RuleInfo*>& all_infos() const { return infos_; }
  const RuleInfo* find_info(std::string_view id) const;

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<const RuleInfo*> infos_;  // every rule's info plus info-only entries, sorted by id
};

template <class T>
struct RuleRegistrar {
  RuleRegistrar() { RuleRegistry::instance().add(std::make_unique<T>()); }
};

struct RuleInfoRegistrar {
  explicit RuleInfoRegistrar(const RuleInfo* info) { RuleRegistry::instance().add_info(info); }
};

#define MIGSAFE_CONCAT_INNER(a, b) a##b
#define MIGSAFE_CONCAT(a, b) MIGSAFE_CONCAT_INNER(a, b)
// Registers a rule class at static initialisation time (cppcheck style).
#define MIGSAFE_REGISTER_RULE(Class) \
  static const ::migsafe::RuleRegistrar<Class> MIGSAFE_CONCAT(migsafe_rule_registrar_, __LINE__)
// Registers metadata for a result id produced outside the rule engine (round-trip findings).
#define MIGSAFE_REGISTER_RULE_INFO(info_object) \
  static const ::migsafe::RuleInfoRegistrar MIGSAFE_CONCAT(migsafe_info_registrar_, __LINE__)(&(info_object))

}  // namespace migsafe
