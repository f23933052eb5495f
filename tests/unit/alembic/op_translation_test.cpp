// op.* / batch_op.* directives -> typed operations, per directive, in positional (Alembic 1.8) and keyword
// (1.11+) forms, with the context flags of with-blocks and loops and SQL literals mapped into the file.
#include <gtest/gtest.h>

#include "linter/alembic/embedded_sql.h"
#include "linter/alembic/revision_reader.h"

namespace migsafe::alembic {
namespace {

const char* kHeader =
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    "from sqlalchemy.dialects import postgresql\n"
    "revision = 'r1'\n"
    "down_revision = None\n";

RevisionFile read(const std::string& body, Dialect dialect = Dialect::PostgreSQL, bool raw = false) {
  std::string text = raw ? body : std::string(kHeader) + "def upgrade():\n" + body + "\ndef downgrade():\n    pass\n";
  auto file = std::make_shared<const SourceFile>("rev.py", "rev.py", text);
  return read_revision_file(file, RevisionReadOptions{dialect, default_runner(dialect)});
}

std::vector<const Operation*> ops(const RevisionFile& revision) {
  std::vector<const Operation*> result;
  for (const Statement& statement : revision.migration.upgrade.statements) {
    for (const Operation& op : statement.operations) result.push_back(&op);
  }
  return result;
}

template <class T>
const T& only(const RevisionFile& revision) {
  auto all = ops(revision);
  EXPECT_EQ(all.size(), 1u);
  const T* value = all.empty() ? nullptr : all.front()->as<T>();
  if (!value) {
    ADD_FAILURE() << "operation has another type: " << (all.empty() ? "none" : describe(*all.front()));
    static T fallback{};
    return fallback;
  }
  return *value;
}

std::string text_at(const RevisionFile& revision, ByteRange range) {
  return std::string(revision.migration.upgrade.file->slice(range));
}

TEST(AddColumn, PositionalAndKeywordFormsAgree) {
  for (const char* call : {
           "    op.add_column('users', sa.Column('email', sa.String(255), nullable=False))\n",
           "    op.add_column(table_name='users', column=sa.Column('email', sa.String(length=255), nullable=False))\n",
           "    op.add_column('users', sa.Column('email', sa.String(255), nullable=False), schema=None)\n"}) {
    RevisionFile revision = read(call);
    const AddColumn& add = only<AddColumn>(revision);
    EXPECT_EQ(add.table.display(), "users") << call;
    EXPECT_EQ(add.column.name, "email");
    EXPECT_EQ(add.column.type.name, "varchar");
    EXPECT_EQ(add.column.type.modifiers, std::vector<long>{255});
    EXPECT_TRUE(add.column.not_null);
    EXPECT_FALSE(add.column.default_value);
  }
}

TEST(AddColumn, ServerDefaultsAndTheirVolatility) {
  auto default_of = [](const std::string& expression) {
    RevisionFile revision = read("    op.add_column('t', sa.Column('c', sa.Text(), server_default=" + expression + "))\n");
    return only<AddColumn>(revision).column.default_value;
  };
  EXPECT_EQ(default_of("'0'")->text, "'0'");
  EXPECT_EQ(default_of("'0'")->volatility, Volatility::Constant);
  EXPECT_EQ(default_of("sa.text(\"now()\")")->volatility, Volatility::Stable);
  EXPECT_EQ(default_of("sa.func.now()")->text, "now()");
  EXPECT_EQ(default_of("sa.func.now()")->volatility, Volatility::Stable);
  EXPECT_EQ(default_of("sa.text('gen_random_uuid()')")->volatility, Volatility::Volatile);
  EXPECT_EQ(default_of("sa.text(\"'{}'::jsonb\")")->volatility, Volatility::Constant);
  EXPECT_EQ(default_of("sa.null()")->volatility, Volatility::Null);
  EXPECT_FALSE(default_of("None"));
}

TEST(AddColumn, PythonSideDefaultIsNoDdlDefault) {
  RevisionFile revision = read("    op.add_column('t', sa.Column('c', sa.Integer(), nullable=False, default=0))\n");
  EXPECT_FALSE(only<AddColumn>(revision).column.default_value);
}

TEST(AddColumn, ConstraintsAndIndexesBecomeTheirOwnOperations) {
  RevisionFile revision = read(
      "    op.add_column('orders', sa.Column('user_id', sa.Integer, sa.ForeignKey('app.users.id'), index=True, unique=True))\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(all[0]->is<AddColumn>());
  const auto* fk = all[1]->as<AddConstraint>();
  ASSERT_TRUE(fk);
  EXPECT_EQ(fk->constraint.kind, ConstraintKind::ForeignKey);
  EXPECT_EQ(fk->constraint.referenced_table.display(), "app.users");
  EXPECT_EQ(fk->constraint.referenced_columns, std::vector<std::string>{"id"});
  const auto* index = all[2]->as<CreateIndex>();
  ASSERT_TRUE(index);
  EXPECT_TRUE(index->index.unique);
  EXPECT_EQ(index->index.name, "ix_orders_user_id");
}

TEST(AddColumn, IntegerPrimaryKeyBecomesSerialOnPostgres) {
  RevisionFile revision = read("    op.add_column('t', sa.Column('id', sa.BigInteger(), primary_key=True))\n");
  const AddColumn& add = only<AddColumn>(revision);
  EXPECT_EQ(add.column.type.name, "serial8");
  EXPECT_TRUE(add.column.not_null);
  EXPECT_TRUE(add.column.is_serial());
}

TEST(AddColumn, IdentityAndComputed) {
  RevisionFile identity = read("    op.add_column('t', sa.Column('n', sa.Integer, sa.Identity(always=True)))\n");
  EXPECT_TRUE(only<AddColumn>(identity).column.identity);
  RevisionFile computed = read("    op.add_column('t', sa.Column('n', sa.Integer, sa.Computed('a + b')))\n");
  EXPECT_EQ(only<AddColumn>(computed).column.generated, GeneratedKind::Stored);
}

TEST(Types, CanonicalNames) {
  auto type_of = [](const std::string& type, Dialect dialect = Dialect::PostgreSQL) {
    RevisionFile revision = read("    op.add_column('t', sa.Column('c', " + type + "))\n", dialect);
    return only<AddColumn>(revision).column.type;
  };
  EXPECT_EQ(type_of("sa.Integer").name, "int4");
  EXPECT_EQ(type_of("sa.BigInteger()").name, "int8");
  EXPECT_EQ(type_of("sa.SmallInteger()").name, "int2");
  EXPECT_EQ(type_of("sa.Text()").name, "text");
  EXPECT_EQ(type_of("sa.Boolean()").name, "bool");
  EXPECT_EQ(type_of("sa.DateTime(timezone=True)").name, "timestamptz");
  EXPECT_EQ(type_of("sa.DateTime()").name, "timestamp");
  EXPECT_EQ(type_of("sa.DateTime()", Dialect::MySQL).name, "datetime");
  EXPECT_EQ(type_of("sa.Numeric(10, 2)").modifiers, (std::vector<long>{10, 2}));
  EXPECT_EQ(type_of("sa.Float()").name, "float8");
  EXPECT_EQ(type_of("sa.LargeBinary()").name, "bytea");
  EXPECT_EQ(type_of("postgresql.JSONB()").name, "jsonb");
  EXPECT_EQ(type_of("postgresql.UUID(as_uuid=True)").name, "uuid");
  TypeRef array = type_of("postgresql.ARRAY(sa.Text)");
  EXPECT_EQ(array.name, "text");
  EXPECT_TRUE(array.is_array);
  EXPECT_EQ(type_of("sa.VARCHAR(20)").written, "varchar(20)");
  TypeRef enum_type = type_of("sa.Enum('a', 'b', name='mood')");
  EXPECT_EQ(enum_type.name, "mood");
  EXPECT_EQ(enum_type.enum_values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(type_of("sa.Enum('a', 'b', name='mood')", Dialect::MySQL).name, "enum");
  EXPECT_EQ(type_of("sa.String(50).with_variant(sa.Text(), 'sqlite')").name, "varchar");
}

TEST(Types, ImportedNamesAndAliases) {
  RevisionFile revision = read(
      "from alembic import op as migrate\n"
      "import sqlalchemy as sqla\n"
      "from sqlalchemy import Column, Integer\n"
      "from sqlalchemy.dialects.postgresql import JSONB as PgJson\n"
      "revision = 'r'\n"
      "def upgrade():\n"
      "    migrate.add_column('t', Column('a', Integer))\n"
      "    migrate.add_column('t', sqla.Column('b', PgJson))\n",
      Dialect::PostgreSQL, true);
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->as<AddColumn>()->column.type.name, "int4");
  EXPECT_EQ(all[1]->as<AddColumn>()->column.type.name, "jsonb");
}

TEST(DropColumn, AndRenameAndDropTable) {
  RevisionFile revision = read(
      "    op.drop_column('users', 'email')\n"
      "    op.rename_table('old', 'new', schema='app')\n"
      "    op.drop_table('gone', if_exists=True)\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->as<DropColumn>()->column, "email");
  EXPECT_EQ(all[1]->as<RenameTable>()->table.display(), "app.old");
  EXPECT_EQ(all[1]->as<RenameTable>()->new_name, "new");
  EXPECT_TRUE(all[2]->as<DropTable>()->if_exists);
}

TEST(AlterColumn, EachArgumentBecomesItsOperation) {
  RevisionFile revision = read(
      "    op.alter_column('users', 'age', type_=sa.BigInteger(), existing_type=sa.Integer(),\n"
      "                    nullable=False, server_default=None, new_column_name='years',\n"
      "                    postgresql_using='age::bigint')\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 4u);
  const auto* type = all[0]->as<AlterColumnType>();
  ASSERT_TRUE(type);
  EXPECT_EQ(type->new_type.name, "int8");
  EXPECT_EQ(type->old_type->name, "int4");
  EXPECT_EQ(type->using_expression, "age::bigint");
  EXPECT_TRUE(all[1]->is<SetNotNull>());
  const auto* set_default = all[2]->as<SetColumnDefault>();
  ASSERT_TRUE(set_default);
  EXPECT_FALSE(set_default->value);  // None = DROP DEFAULT
  EXPECT_EQ(all[3]->as<RenameColumn>()->new_name, "years");
  // Each operation points at its own keyword.
  EXPECT_EQ(text_at(revision, all[1]->range), "nullable=False");
}

TEST(AlterColumn, FalseSentinelIsNotGiven) {
  RevisionFile revision = read("    op.alter_column('t', 'c', server_default=False, nullable=True)\n");
  const DropNotNull& drop = only<DropNotNull>(revision);
  EXPECT_EQ(drop.column, "c");
}

TEST(AlterColumn, PositionalNullable18Style) {
  RevisionFile revision = read("    op.alter_column('t', 'c', False)\n");
  EXPECT_EQ(only<SetNotNull>(revision).table.display(), "t");
}

TEST(CreateIndex, PositionalAndKeywordForms) {
  RevisionFile old_style = read("    op.create_index('ix_a', 't', ['a'], None, True)\n");
  const CreateIndex& first = only<CreateIndex>(old_style);
  EXPECT_EQ(first.index.name, "ix_a");
  EXPECT_EQ(first.index.table.display(), "t");
  EXPECT_TRUE(first.index.unique);

  RevisionFile new_style = read(
      "    op.create_index(op.f('ix_b'), 't', ['b', sa.text('lower(c)')], unique=False, schema='s',\n"
      "                    postgresql_concurrently=True, postgresql_using='gin',\n"
      "                    postgresql_where=sa.text('deleted IS NULL'), if_not_exists=True)\n");
  const CreateIndex& second = only<CreateIndex>(new_style);
  EXPECT_EQ(second.index.name, "ix_b");
  EXPECT_EQ(second.index.table.display(), "s.t");
  EXPECT_EQ(second.index.columns, (std::vector<std::string>{"b", "lower(c)"}));
  EXPECT_TRUE(second.index.concurrently);
  EXPECT_TRUE(second.index.if_not_exists);
  EXPECT_EQ(second.index.method, "gin");
  EXPECT_EQ(second.index.where, "deleted IS NULL");
  ASSERT_EQ(new_style.migration.upgrade.statements.front().dialect_options.size(), 3u);
}

TEST(DropIndex, TableAndConcurrently) {
  RevisionFile revision = read(
      "    op.drop_index('ix', 't')\n"
      "    op.drop_index(op.f('ix2'), table_name='t', postgresql_concurrently=True, if_exists=True)\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->as<DropIndex>()->table.display(), "t");
  EXPECT_TRUE(all[1]->as<DropIndex>()->concurrently);
  EXPECT_TRUE(all[1]->as<DropIndex>()->if_exists);
  EXPECT_EQ(all[1]->as<DropIndex>()->indexes.front().name, "ix2");
}

TEST(Constraints, EveryKind) {
  RevisionFile revision = read(
      "    op.create_foreign_key('fk_o_u', 'orders', 'users', ['user_id'], ['id'], ondelete='CASCADE')\n"
      "    op.create_foreign_key(None, 'orders', 'users', ['u2'], ['id'], postgresql_not_valid=True)\n"
      "    op.create_unique_constraint('uq_email', 'users', ['email'])\n"
      "    op.create_check_constraint('ck_age', 'users', 'age > 0')\n"
      "    op.create_check_constraint('ck_t', 'users', sa.text('t IS NOT NULL'))\n"
      "    op.create_primary_key('pk_users', 'users', ['id'])\n"
      "    op.create_exclude_constraint('ex', 'rooms', ('room', '='), ('during', '&&'))\n"
      "    op.drop_constraint('fk_o_u', 'orders', 'foreignkey')\n"
      "    op.drop_constraint('uq_email', 'users', type_='unique')\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 9u);
  const auto* fk = all[0]->as<AddConstraint>();
  EXPECT_EQ(fk->table.display(), "orders");
  EXPECT_EQ(fk->constraint.referenced_table.display(), "users");
  EXPECT_EQ(fk->constraint.columns, std::vector<std::string>{"user_id"});
  EXPECT_FALSE(fk->constraint.not_valid);
  EXPECT_TRUE(all[1]->as<AddConstraint>()->constraint.not_valid);
  EXPECT_EQ(all[2]->as<AddConstraint>()->constraint.kind, ConstraintKind::Unique);
  EXPECT_EQ(all[3]->as<AddConstraint>()->constraint.expression, "age > 0");
  EXPECT_EQ(all[4]->as<AddConstraint>()->constraint.expression, "t IS NOT NULL");
  EXPECT_EQ(all[5]->as<AddConstraint>()->constraint.kind, ConstraintKind::PrimaryKey);
  EXPECT_EQ(all[6]->as<AddConstraint>()->constraint.kind, ConstraintKind::Exclusion);
  EXPECT_EQ(all[7]->as<DropConstraint>()->kind, ConstraintKind::ForeignKey);
  EXPECT_EQ(all[8]->as<DropConstraint>()->kind, ConstraintKind::Unique);
}

TEST(CreateTable, ColumnsConstraintsIndexesAndEnumTypes) {
  RevisionFile revision = read(
      "    op.create_table('accounts',\n"
      "        sa.Column('id', sa.Integer(), nullable=False),\n"
      "        sa.Column('mood', sa.Enum('happy', 'sad', name='mood'), nullable=True),\n"
      "        sa.Column('kind', postgresql.ENUM('a', 'b', name='kind', create_type=False)),\n"
      "        sa.Column('email', sa.String(100), index=True),\n"
      "        sa.Column('owner_id', sa.Integer, sa.ForeignKey('users.id')),\n"
      "        sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),\n"
      "        sa.UniqueConstraint('email'),\n"
      "        sa.Index('ix_accounts_mood', 'mood', postgresql_where=sa.text('mood IS NOT NULL')),\n"
      "        schema='app', mysql_engine='InnoDB')\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 4u);
  const auto* type = all[0]->as<CreateEnumType>();
  ASSERT_TRUE(type);  // implicit CREATE TYPE from create_table; create_type=False creates nothing
  EXPECT_EQ(type->type.name, "mood");
  const auto* create = all[1]->as<CreateTable>();
  ASSERT_TRUE(create);
  EXPECT_EQ(create->table.display(), "app.accounts");
  ASSERT_EQ(create->columns.size(), 5u);
  EXPECT_EQ(create->columns[0].type.name, "serial4");  // lone integer primary key
  EXPECT_TRUE(create->columns[0].not_null);
  EXPECT_EQ(create->constraints.size(), 3u);  // PK, UNIQUE, FK
  EXPECT_EQ(all[2]->as<CreateIndex>()->index.name, "ix_accounts_mood");
  EXPECT_EQ(all[3]->as<CreateIndex>()->index.name, "ix_accounts_email");
  EXPECT_EQ(revision.migration.upgrade.statements.front().dialect_options.size(), 2u);
}

TEST(CreateTable, NoImplicitEnumTypeOutsidePostgres) {
  RevisionFile revision = read("    op.create_table('t', sa.Column('m', sa.Enum('a', name='m')))\n", Dialect::MySQL);
  EXPECT_TRUE(only<CreateTable>(revision).columns.front().type.name == "enum");
}

TEST(CreateTable, ColumnsFromAVariableList) {
  RevisionFile revision = read(
      "    columns = [sa.Column('id', sa.Integer, primary_key=True), sa.Column('n', sa.Text)]\n"
      "    table = op.create_table('t', *columns)\n"
      "    op.bulk_insert(table, [{'id': 1, 'n': 'x'}])\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->as<CreateTable>()->columns.size(), 2u);
  const auto* insert = all[1]->as<DataChange>();
  ASSERT_TRUE(insert);
  EXPECT_EQ(insert->kind, DataChangeKind::Insert);
  EXPECT_EQ(insert->table.display(), "t");
}

TEST(Context, BatchAlterTable) {
  RevisionFile revision = read(
      "    with op.batch_alter_table('users', schema=None) as batch_op:\n"
      "        batch_op.add_column(sa.Column('age', sa.Integer(), nullable=True))\n"
      "        batch_op.alter_column('name', nullable=False)\n"
      "        batch_op.create_index('ix_age', ['age'], unique=False)\n"
      "        batch_op.drop_constraint('uq', type_='unique')\n"
      "        batch_op.create_foreign_key('fk', 'teams', ['team_id'], ['id'])\n");
  const auto& statements = revision.migration.upgrade.statements;
  ASSERT_EQ(statements.size(), 5u);
  for (const Statement& statement : statements) EXPECT_TRUE(statement.in_batch);
  EXPECT_EQ(statements[0].operations[0].as<AddColumn>()->table.display(), "users");
  EXPECT_EQ(statements[1].operations[0].as<SetNotNull>()->column, "name");
  EXPECT_EQ(statements[2].operations[0].as<CreateIndex>()->index.table.display(), "users");
  EXPECT_EQ(statements[2].operations[0].as<CreateIndex>()->index.columns, std::vector<std::string>{"age"});
  EXPECT_EQ(statements[3].operations[0].as<DropConstraint>()->kind, ConstraintKind::Unique);
  const auto* fk = statements[4].operations[0].as<AddConstraint>();
  EXPECT_EQ(fk->table.display(), "users");
  EXPECT_EQ(fk->constraint.referenced_table.display(), "teams");
}

TEST(Context, AutocommitBlockEndsTheRunnerTransaction) {
  RevisionFile revision = read(
      "    op.add_column('t', sa.Column('c', sa.Integer))\n"
      "    with op.get_context().autocommit_block():\n"
      "        op.create_index('ix', 't', ['c'], postgresql_concurrently=True)\n");
  const auto& statements = revision.migration.upgrade.statements;
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].transaction, TransactionSource::Runner);
  EXPECT_TRUE(statements[1].in_autocommit_block);
  EXPECT_EQ(statements[1].transaction, TransactionSource::None);
}

TEST(Context, NoRunnerTransactionOnMySql) {
  RevisionFile revision = read("    op.drop_column('t', 'c')\n", Dialect::MySQL);
  EXPECT_EQ(revision.migration.upgrade.statements.front().transaction, TransactionSource::None);
}

TEST(Context, LoopsOverRowsAndLiteralLists) {
  RevisionFile revision = read(
      "    conn = op.get_bind()\n"
      "    for row in conn.execute(sa.text('SELECT id FROM t')):\n"
      "        conn.execute(t.update().where(t.c.id == row.id).values(n=1))\n"
      "    for name in ['a', 'b']:\n"
      "        op.drop_column(name, 'legacy')\n");
  const auto& statements = revision.migration.upgrade.statements;
  ASSERT_EQ(statements.size(), 4u);
  EXPECT_FALSE(statements[0].in_loop);  // the SELECT that feeds the loop runs once
  EXPECT_TRUE(statements[1].in_loop);
  const auto* update = statements[1].operations[0].as<DataChange>();
  ASSERT_TRUE(update);
  EXPECT_TRUE(update->per_row_loop);
  EXPECT_TRUE(update->has_where);
  // A literal list is unrolled: each table is known, and no per-row loop runs.
  EXPECT_EQ(statements[2].operations[0].as<DropColumn>()->table.display(), "a");
  EXPECT_EQ(statements[3].operations[0].as<DropColumn>()->table.display(), "b");
  EXPECT_FALSE(statements[3].in_loop);
}

TEST(Execute, LiteralSqlGoesThroughTheSqlFrontEndWithExactRanges) {
  RevisionFile revision = read(
      "    op.execute('ALTER TABLE users ADD COLUMN a int')\n"
      "    op.execute(sa.text(\"\"\"\n"
      "        CREATE INDEX ix ON users (a);\n"
      "        UPDATE users SET a = 1;\n"
      "    \"\"\"))\n");
  const auto& statements = revision.migration.upgrade.statements;
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_TRUE(statements[0].operations[0].is<AddColumn>());
  EXPECT_EQ(text_at(revision, statements[0].range), "ALTER TABLE users ADD COLUMN a int");
  EXPECT_TRUE(statements[1].operations[0].is<CreateIndex>());
  EXPECT_EQ(text_at(revision, statements[1].range), "CREATE INDEX ix ON users (a)");
  EXPECT_EQ(revision.migration.upgrade.file->position_of(statements[1].range.begin).line, 9);
  const auto* update = statements[2].operations[0].as<DataChange>();
  ASSERT_TRUE(update);
  EXPECT_FALSE(update->has_where);
  EXPECT_EQ(statements[2].transaction, TransactionSource::Runner);
}

TEST(Execute, EscapesAndConcatenationMapToTheLiteral) {
  RevisionFile revision = read("    op.execute('DROP TABLE a;\\n' 'DROP TABLE b')\n");
  const auto& statements = revision.migration.upgrade.statements;
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(text_at(revision, statements[0].range), "DROP TABLE a");
  EXPECT_EQ(text_at(revision, statements[1].range), "DROP TABLE b");
}

TEST(Execute, SqlBuiltAtRunTimeIsUnchecked) {
  RevisionFile revision = read(
      "    table = get_name()\n"
      "    op.execute(f'DROP TABLE {table}')\n"
      "    op.execute('DROP TABLE %s' % table)\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 2u);
  for (const Operation* op : all) {
    ASSERT_TRUE(op->is<UncheckedOperation>());
    EXPECT_FALSE(op->as<UncheckedOperation>()->plugin);
  }
}

TEST(Execute, SqlAlchemyStatements) {
  RevisionFile revision = read(
      "    accounts = sa.table('accounts', sa.column('id', sa.Integer), sa.column('active', sa.Boolean))\n"
      "    op.execute(accounts.update().values(active=True))\n"
      "    op.execute(sa.delete(accounts).where(accounts.c.id == 1))\n"
      "    op.execute(sa.schema.CreateSequence(sa.Sequence('order_seq')))\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 3u);
  const auto* update = all[0]->as<DataChange>();
  ASSERT_TRUE(update);
  EXPECT_EQ(update->kind, DataChangeKind::Update);
  EXPECT_EQ(update->table.display(), "accounts");
  EXPECT_FALSE(update->has_where);
  EXPECT_TRUE(all[1]->as<DataChange>()->has_where);
  EXPECT_EQ(all[2]->as<CreateSequence>()->sequence.display(), "order_seq");
}

TEST(Execute, MySqlSyntaxIsUncheckedNotAnError) {
  RevisionFile revision = read("    op.execute('ALTER TABLE `t` ADD COLUMN `c` INT')\n", Dialect::MySQL);
  const auto& statement = revision.migration.upgrade.statements.front();
  EXPECT_FALSE(statement.error);
  ASSERT_TRUE(statement.operations.front().is<UncheckedOperation>());
}

TEST(Plugins, UnknownOpIsAnUncheckedPluginOperation) {
  RevisionFile revision = read(
      "    op.sync_enum_values('public', 'mood', ['a', 'b'], [('t', 'c')])\n"
      "    op.create_entity(my_view)\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0]->as<UncheckedOperation>()->plugin);
  EXPECT_TRUE(all[1]->as<UncheckedOperation>()->plugin);
}

TEST(Enums, ExplicitCreateAndDrop) {
  RevisionFile revision = read(
      "    mood = postgresql.ENUM('a', 'b', name='mood', create_type=False)\n"
      "    mood.create(op.get_bind(), checkfirst=True)\n"
      "    sa.Enum(name='old').drop(op.get_bind())\n");
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->as<CreateEnumType>()->values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(all[1]->as<DropType>()->types.front().name, "old");
}

TEST(Helpers, CallsToFunctionsOfTheFileAreFollowed) {
  RevisionFile revision = read(
      "from alembic import op\n"
      "import sqlalchemy as sa\n"
      "revision = 'r'\n"
      "TABLE = 'events'\n"
      "def _add(table, name):\n"
      "    op.add_column(table, sa.Column(name, sa.Text))\n"
      "def upgrade():\n"
      "    _add(TABLE, 'a')\n"
      "    _add('logs', name='b')\n",
      Dialect::PostgreSQL, true);
  auto all = ops(revision);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->as<AddColumn>()->table.display(), "events");
  EXPECT_EQ(all[1]->as<AddColumn>()->table.display(), "logs");
  EXPECT_EQ(all[1]->as<AddColumn>()->column.name, "b");
}

TEST(Helpers, MultiDatabaseDispatch) {
  RevisionFile revision = read(
      "from alembic import op\n"
      "revision = 'r'\n"
      "def upgrade(engine_name: str) -> None:\n"
      "    globals()['upgrade_%s' % engine_name]()\n"
      "def downgrade(engine_name: str) -> None:\n"
      "    globals()['downgrade_%s' % engine_name]()\n"
      "def upgrade_engine1():\n"
      "    op.drop_table('a')\n"
      "def upgrade_engine2():\n"
      "    op.drop_table('b')\n"
      "def downgrade_engine1():\n"
      "    pass\n"
      "def downgrade_engine2():\n"
      "    pass\n",
      Dialect::PostgreSQL, true);
  EXPECT_EQ(ops(revision).size(), 2u);
  EXPECT_EQ(revision.migration.downgrade_state, DowngradeState::Empty);
}

TEST(Names, OpFAndVariables) {
  RevisionFile revision = read(
      "    name = op.f('ix_' + 'users_email')\n"
      "    op.create_index(name, 'users', ['email'])\n");
  EXPECT_EQ(only<CreateIndex>(revision).index.name, "ix_users_email");
}

TEST(Ranges, StatementsPointAtTheCall) {
  RevisionFile revision = read("    x = 1\n    op.drop_column(\n        'users', 'email')\n");
  const Statement& statement = revision.migration.upgrade.statements.front();
  EXPECT_EQ(text_at(revision, statement.range), "op.drop_column(\n        'users', 'email')");
  EXPECT_EQ(revision.migration.upgrade.file->position_of(statement.range.begin).line, 8);
}

TEST(Downgrade, States) {
  auto state = [](const std::string& downgrade) {
    std::string text = std::string(kHeader) + "def upgrade():\n    op.drop_table('t')\n" + downgrade;
    auto file = std::make_shared<const SourceFile>("rev.py", "rev.py", text);
    return read_revision_file(file, {}).migration.downgrade_state;
  };
  EXPECT_EQ(state(""), DowngradeState::Missing);
  EXPECT_EQ(state("def downgrade():\n    pass\n"), DowngradeState::Empty);
  EXPECT_EQ(state("def downgrade() -> None:\n    \"\"\"Nothing.\"\"\"\n    # really nothing\n    ...\n"),
            DowngradeState::Empty);
  EXPECT_EQ(state("def downgrade():\n    raise NotImplementedError('no way back')\n"), DowngradeState::Irreversible);
  EXPECT_EQ(state("def downgrade():\n    raise NotImplementedError\n"), DowngradeState::Irreversible);
  EXPECT_EQ(state("def downgrade():\n    op.create_table('t')\n"), DowngradeState::Present);
}

TEST(Downgrade, AnchorsAtTheDefLine) {
  std::string text = std::string(kHeader) + "def upgrade():\n    pass\n\n\ndef downgrade() -> None:\n    pass\n";
  auto file = std::make_shared<const SourceFile>("rev.py", "rev.py", text);
  RevisionFile revision = read_revision_file(file, {});
  EXPECT_EQ(file->slice(revision.migration.downgrade_anchor), "def downgrade() -> None:");
  ASSERT_TRUE(revision.migration.downgrade);

  std::string missing = std::string(kHeader) + "def upgrade():\n    pass\n";
  auto missing_file = std::make_shared<const SourceFile>("rev.py", "rev.py", missing);
  RevisionFile without = read_revision_file(missing_file, {});
  EXPECT_EQ(missing_file->slice(without.migration.downgrade_anchor), "def upgrade():");
}

TEST(Suppressions, LineNextLineAndFile) {
  RevisionFile revision = read(
      "# migsafe: ignore-file[dropping-column]\n"
      "from alembic import op\n"
      "revision = 'r'\n"
      "def upgrade():\n"
      "    # migsafe: ignore[adding-not-null-column, setting-not-null] backfilled in 42\n"
      "\n"
      "    op.drop_table('a')\n"
      "    op.drop_table('b')  # migsafe: ignore\n"
      "    op.drop_table('c')  # migsafe: ignored is not a suppression\n",
      Dialect::PostgreSQL, true);
  ASSERT_EQ(revision.suppressions.size(), 3u);
  EXPECT_TRUE(revision.suppressions[0].file_level);
  EXPECT_EQ(revision.suppressions[0].rules, std::vector<std::string>{"dropping-column"});
  EXPECT_EQ(revision.suppressions[1].rules.size(), 2u);
  EXPECT_EQ(revision.suppressions[1].first_line, 5);
  EXPECT_EQ(revision.suppressions[1].last_line, 7);
  EXPECT_EQ(revision.suppressions[1].reason, "backfilled in 42");
  EXPECT_TRUE(revision.suppressions[2].rules.empty());
  EXPECT_EQ(revision.suppressions[2].first_line, 8);
  EXPECT_EQ(revision.suppressions[2].last_line, 8);
}

TEST(SyntaxErrors, BecomeAProblemWithTheLine) {
  RevisionFile revision = read(
      "revision = 'abc'\n"
      "down_revision = 'parent'\n"
      "def upgrade():\n"
      "    op.add_column('t',, sa.Column('c'))\n",
      Dialect::PostgreSQL, true);
  ASSERT_EQ(revision.problems.size(), 1u);
  EXPECT_EQ(revision.problems[0].rule_id, "syntax-error");
  EXPECT_EQ(revision.problems[0].file->position_of(revision.problems[0].range.begin).line, 4);
  // The identifiers before the error are still known, so the graph stays intact.
  EXPECT_EQ(revision.migration.id, "abc");
  EXPECT_EQ(revision.migration.parents, std::vector<std::string>{"parent"});
  EXPECT_TRUE(revision.migration.upgrade.statements.empty());
}

TEST(RevisionIdentifiers, ClassicAndTypedForms) {
  RevisionFile classic = read(
      "revision = 'ae1027a6acf'\n"
      "down_revision = ('abc', 'def')\n"
      "branch_labels = 'feature'\n"
      "depends_on = ['x', 'y@head']\n"
      "def upgrade():\n    pass\n",
      Dialect::PostgreSQL, true);
  EXPECT_EQ(classic.migration.id, "ae1027a6acf");
  EXPECT_EQ(classic.migration.parents, (std::vector<std::string>{"abc", "def"}));
  EXPECT_EQ(classic.migration.branch_labels, std::vector<std::string>{"feature"});
  EXPECT_EQ(classic.migration.depends_on, (std::vector<std::string>{"x", "y@head"}));
  EXPECT_TRUE(classic.migration.revision_readable);

  RevisionFile typed = read(
      "from typing import Sequence, Union\n"
      "revision: str = \"1a2b\"\n"
      "down_revision: Union[str, Sequence[str], None] = None\n"
      "branch_labels: str | Sequence[str] | None = None\n"
      "depends_on: Union[str, Sequence[str], None] = None\n"
      "def upgrade() -> None:\n    \"\"\"Upgrade schema.\"\"\"\n    pass\n",
      Dialect::PostgreSQL, true);
  EXPECT_EQ(typed.migration.id, "1a2b");
  EXPECT_TRUE(typed.migration.parents.empty());

  RevisionFile unreadable = read("revision = compute()\ndef upgrade():\n    pass\n", Dialect::PostgreSQL, true);
  EXPECT_FALSE(unreadable.migration.revision_readable);
}

}  // namespace
}  // namespace migsafe::alembic

namespace migsafe::alembic {
namespace {

TEST(Execute, BindParametersKeepOffsets) {
  EXPECT_EQ(replace_bind_parameters("UPDATE t SET a = :value WHERE id = :id"), "UPDATE t SET a = $10000 WHERE id = $10");
  EXPECT_EQ(replace_bind_parameters(":a :a_very_long_name"), "$1 $100000000       ");
  EXPECT_EQ(replace_bind_parameters("SELECT '{}'::jsonb, x::int"), "SELECT '{}'::jsonb, x::int");
  EXPECT_EQ(replace_bind_parameters("SELECT a:b, \\:c, :d:"), "SELECT a:b, \\:c, :d:");
  RevisionFile revision = read("    op.execute(sa.text('UPDATE users SET a = 1 WHERE id = :id'))\n");
  const Statement& statement = revision.migration.upgrade.statements.front();
  EXPECT_FALSE(statement.error);
  EXPECT_EQ(text_at(revision, statement.range), "UPDATE users SET a = 1 WHERE id = :id");
}

}  // namespace
}  // namespace migsafe::alembic
