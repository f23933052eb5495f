// Turns the body of `upgrade()` / `downgrade()` into Statements with typed operations: every `op.*` and
// `batch_op.*` directive, SQL in `op.execute(...)` / `bind.execute(...)`, enum `.create(bind)`/`.drop(bind)`,
// calls to helper functions of the same file (followed), the dispatch of multi-database templates
// (`globals()["upgrade_%s" % engine_name]()`), and the context flags of `with` blocks and loops.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "linter/alembic/python_values.h"
#include "linter/alembic/sa_constructs.h"
#include "linter/model/migration.h"
#include "linter/model/project.h"

namespace migsafe::alembic {

class OpTranslator {
 public:
  // `functions`: the module's top-level function definitions by name.
  OpTranslator(SourceFilePtr file, Values& values, Dialect dialect,
               const std::map<std::string, const python::Stmt*>& functions);

  // Statements of one function body, in source order.
  std::vector<Statement> translate(const python::Stmt& function);
  // `-- migsafe:ignore` comments found inside SQL literals.
  std::vector<Suppression> take_sql_suppressions() { return std::move(sql_suppressions_); }

 private:
  struct Context {
    bool in_loop = false;
    bool in_batch = false;
    bool in_autocommit = false;
    std::string batch_alias;  // `batch_op` in `with op.batch_alter_table(...) as batch_op:`
    QualifiedName batch_table;
  };

  void walk(const std::vector<python::StmtPtr>& body, const Context& context);
  void walk_statement(const python::Stmt& stmt, const Context& context);
  void visit_calls(const Expr& expr, const Context& context);
  bool handle_call(const Expr& call, const Context& context);
  void call_function(const python::Stmt& function, const Context& context);

  // Directive handlers. `batch` = called on batch_op (no table argument).
  void directive(const std::string& name, const Expr& call, const Context& context, bool batch);
  void execute(const Expr& call, const Expr* argument, const Context& context, const std::string& via);

  Statement& begin_statement(const Expr& call, const Context& context);
  void add(Statement& statement, OperationData data, ByteRange range);
  void unchecked(const Expr& call, const Context& context, const std::string& description, bool plugin);

  QualifiedName table_name(const Expr* name, const Expr* schema) const;
  bool is_bind(const Expr& expr) const;
  std::string text_of(const Expr* expr) const;

  SourceFilePtr file_;
  Values& values_;
  Dialect dialect_;
  const std::map<std::string, const python::Stmt*>& functions_;
  std::vector<Statement> out_;
  std::vector<Suppression> sql_suppressions_;
  std::set<const python::Stmt*> active_functions_;  // recursion guard for followed helper calls
  std::set<std::string> bind_names_;                // variables holding op.get_bind() / a connection
  std::map<std::string, const python::Stmt*> local_functions_;  // functions defined inside the body
};

}  // namespace migsafe::alembic
