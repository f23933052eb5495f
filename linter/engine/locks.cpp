#include "linter/engine/locks.h"

namespace migsafe {

namespace {

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

std::optional<QualifiedName> target_table(const Operation& op) {
  return std::visit(
      Overloaded{
          [](const CreateTable& o) -> std::optional<QualifiedName> { return o.table; },
          [](const DropTable& o) -> std::optional<QualifiedName> {
            if (o.tables.empty()) return std::nullopt;
            return o.tables.front();
          },
          [](const RenameTable& o) -> std::optional<QualifiedName> { return o.table; },
          [](const TruncateTable& o) -> std::optional<QualifiedName> {
            if (o.tables.empty()) return std::nullopt;
            return o.tables.front();
          },
          [](const AddColumn& o) -> std::optional<QualifiedName> { return o.table; },
          [](const DropColumn& o) -> std::optional<QualifiedName> { return o.table; },
          [](const RenameColumn& o) -> std::optional<QualifiedName> { return o.table; },
          [](const AlterColumnType& o) -> std::optional<QualifiedName> { return o.table; },
          [](const SetNotNull& o) -> std::optional<QualifiedName> { return o.table; },
          [](const DropNotNull& o) -> std::optional<QualifiedName> { return o.table; },
          [](const SetColumnDefault& o) -> std::optional<QualifiedName> { return o.table; },
          [](const AddConstraint& o) -> std::optional<QualifiedName> { return o.table; },
          [](const DropConstraint& o) -> std::optional<QualifiedName> { return o.table; },
          [](const ValidateConstraint& o) -> std::optional<QualifiedName> { return o.table; },
          [](const CreateIndex& o) -> std::optional<QualifiedName> { return o.index.table; },
          [](const DropIndex& o) -> std::optional<QualifiedName> {
            if (o.table.name.empty()) return std::nullopt;
            return o.table;
          },
          [](const Reindex& o) -> std::optional<QualifiedName> {
            if (o.target == ReindexTarget::Table) return o.name;
            return std::nullopt;
          },
          [](const DataChange& o) -> std::optional<QualifiedName> { return o.table; },
          [](const Vacuum& o) -> std::optional<QualifiedName> {
            if (o.tables.empty()) return std::nullopt;
            return o.tables.front();
          },
          [](const Cluster& o) -> std::optional<QualifiedName> { return o.table; },
          [](const SetLogged& o) -> std::optional<QualifiedName> { return o.table; },
          [](const RebuildTable& o) -> std::optional<QualifiedName> { return o.table; },
          [](const AttachPartition& o) -> std::optional<QualifiedName> { return o.parent; },
          [](const DetachPartition& o) -> std::optional<QualifiedName> { return o.parent; },
          [](const AlterTableOther& o) -> std::optional<QualifiedName> { return o.table; },
          [](const MysqlAlterOptions& o) -> std::optional<QualifiedName> { return o.table; },
          [](const auto&) -> std::optional<QualifiedName> { return std::nullopt; },
      },
      op.data);
}

LockMode postgres_table_lock(const Operation& op) {
  return std::visit(
      Overloaded{
          [](const CreateTable&) { return LockMode::None; },
          [](const CreateIndex& o) { return o.index.concurrently ? LockMode::ShareUpdateExclusive : LockMode::Share; },
          [](const DropIndex& o) { return o.concurrently ? LockMode::ShareUpdateExclusive : LockMode::AccessExclusive; },
          [](const RenameIndex&) { return LockMode::ShareUpdateExclusive; },
          [](const Reindex& o) { return o.concurrently ? LockMode::ShareUpdateExclusive : LockMode::Share; },
          [](const ValidateConstraint&) { return LockMode::ShareUpdateExclusive; },
          [](const AddConstraint& o) {
            return o.constraint.kind == ConstraintKind::ForeignKey ? LockMode::ShareRowExclusive
                                                                    : LockMode::AccessExclusive;
          },
          [](const DataChange& o) { return LockMode::RowExclusive; },
          [](const Vacuum& o) { return o.full ? LockMode::AccessExclusive : LockMode::ShareUpdateExclusive; },
          [](const AttachPartition&) { return LockMode::ShareUpdateExclusive; },
          [](const DetachPartition& o) {
            return o.concurrently ? LockMode::ShareUpdateExclusive : LockMode::AccessExclusive;
          },
          [](const AlterTableOther& o) { return o.lock; },
          [](const CreateEnumType&) { return LockMode::None; },
          [](const AddEnumValue&) { return LockMode::None; },
          [](const RenameEnumValue&) { return LockMode::None; },
          [](const DropType&) { return LockMode::None; },
          [](const CreateSequence&) { return LockMode::None; },
          [](const DropSequence&) { return LockMode::None; },
          [](const CreateObject&) { return LockMode::None; },
          [](const DropObject&) { return LockMode::None; },
          [](const SetSetting&) { return LockMode::None; },
          [](const TransactionControl&) { return LockMode::None; },
          [](const DropDatabase&) { return LockMode::None; },
          [](const DropSchema&) { return LockMode::None; },
          [](const MysqlAlterOptions&) { return LockMode::None; },
          [](const UncheckedOperation&) { return LockMode::None; },
          [](const OtherStatement&) { return LockMode::None; },
          // Everything else in ALTER TABLE / DROP / TRUNCATE / CLUSTER / RENAME takes ACCESS EXCLUSIVE.
          [](const auto&) { return LockMode::AccessExclusive; },
      },
      op.data);
}

bool blocks_writes(LockMode mode) { return mode >= LockMode::Share && mode != LockMode::ShareUpdateExclusive; }
bool blocks_reads(LockMode mode) { return mode == LockMode::AccessExclusive; }

bool mysql_takes_exclusive_metadata_lock(const Operation& op) {
  if (!target_table(op)) return false;
  // Row changes and plain table creation take shared metadata locks only.
  return !(op.is<DataChange>() || op.is<CreateTable>() || op.is<Vacuum>() || op.is<MysqlAlterOptions>());
}

bool does_heavy_work(const Operation& op) {
  if (op.is<DataChange>() || op.is<Cluster>() || op.is<SetLogged>() || op.is<RebuildTable>()) return true;
  if (op.is<ValidateConstraint>() || op.is<Reindex>()) return true;
  if (op.is<CreateIndex>()) return true;  // builds scan the table, concurrently or not
  if (const auto* vacuum = op.as<Vacuum>()) return vacuum->full;
  if (op.is<AlterColumnType>() || op.is<SetNotNull>()) return true;
  if (const auto* add = op.as<AddConstraint>()) return !add->constraint.not_valid && add->constraint.using_index.empty();
  return false;
}

}  // namespace migsafe
