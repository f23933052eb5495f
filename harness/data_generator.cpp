#include "harness/data_generator.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <set>

#include "linter/util/text.h"

namespace migsafe::harness {
namespace {

struct ForeignKey {
  std::vector<std::string> columns;
  std::string parent;
  std::vector<std::string> parent_columns;
};

struct ColumnInfo {
  std::string name;
  std::string type;  // lower case
  bool nullable = true;
  bool generated_by_database = false;  // default, identity, generated: leave it to the database
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  for (char c : text) {
    if (c == ',') {
      items.push_back(item);
      item.clear();
    } else if (c != ' ' && c != '"') {
      item += c;
    }
  }
  if (!item.empty()) items.push_back(item);
  return items;
}

std::string quote_qualified(const Database& db, const std::string& name) {
  auto dot = name.find('.');
  if (dot == std::string::npos) return db.quote_identifier(name);
  return db.quote_identifier(name.substr(0, dot)) + "." + db.quote_identifier(name.substr(dot + 1));
}

std::string date_literal(long long day_offset) {
  using namespace std::chrono;
  year_month_day date{sys_days{year{2020} / January / 1} + days{day_offset % 3000}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

// A literal for one value of `type`; nullopt when the generator does not know the type.
std::optional<std::string> value_for(const Database& db, bool sqlite, const std::string& type, long long n,
                                     const std::map<std::string, std::vector<std::string>>& enums) {
  if (auto found = enums.find(type); found != enums.end() && !found->second.empty()) {
    return found->second[static_cast<std::size_t>(n) % found->second.size()];
  }
  if (type.find("[]") != std::string::npos) return std::string("'{}'");
  if (type.find("bool") != std::string::npos) return sqlite ? std::string(n % 2 ? "1" : "0") : std::string(n % 2 ? "true" : "false");
  if (type.find("smallint") != std::string::npos || type == "int2") return std::to_string(n % 32000);
  if (type.find("int") != std::string::npos || type.find("serial") != std::string::npos ||
      type.find("numeric") != std::string::npos || type.find("decimal") != std::string::npos ||
      type.find("real") != std::string::npos || type.find("double") != std::string::npos ||
      type.find("float") != std::string::npos || type.find("money") != std::string::npos) {
    return std::to_string(n % 100000);
  }
  if (type.find("timestamp") != std::string::npos || type.find("datetime") != std::string::npos) {
    return "'" + date_literal(n) + " 12:00:00'";
  }
  if (type.find("date") != std::string::npos) return "'" + date_literal(n) + "'";
  if (type.find("interval") != std::string::npos) return "'" + std::to_string(n) + " minutes'";
  if (type.find("time") != std::string::npos) return std::string("'12:00:00'");
  if (type.find("uuid") != std::string::npos) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "'%08llx-0000-4000-8000-%012llx'", static_cast<unsigned long long>(n),
                  static_cast<unsigned long long>(n));
    return std::string(buffer);
  }
  if (type.find("json") != std::string::npos) return "'{\"n\": " + std::to_string(n) + "}'";
  if (type.find("bytea") != std::string::npos) return "'\\x" + std::to_string(10 + n % 80) + "'";
  if (type.find("blob") != std::string::npos) return std::string("X'0102'");
  if (type.find("inet") != std::string::npos) return "'10.0." + std::to_string((n / 250) % 250) + "." + std::to_string(n % 250 + 1) + "'";
  if (type.empty() || type.find("char") != std::string::npos || type.find("text") != std::string::npos ||
      type.find("clob") != std::string::npos || type.find("string") != std::string::npos || type == "name" ||
      type.find("citext") != std::string::npos) {
    std::string value = "v" + std::to_string(n);
    static const std::regex length(R"(\((\d+)\))");
    std::smatch match;
    if (std::regex_search(type, match, length)) {
      std::size_t limit = std::stoul(match[1]);
      if (value.size() > limit) value = value.substr(value.size() - limit);
    }
    return db.quote_literal(value);
  }
  return std::nullopt;
}

}  // namespace

DataFillResult fill_tables(Database& db, const Schema& schema, int rows, int round) {
  DataFillResult result;
  bool sqlite = db.sqlalchemy_url().rfind("sqlite", 0) == 0;
  std::map<std::string, std::vector<ColumnInfo>> columns;
  std::map<std::string, std::vector<ForeignKey>> foreign_keys;
  std::map<std::string, std::vector<std::string>> enums;
  std::vector<std::string> tables;
  static const std::regex pg_foreign_key(R"(FOREIGN KEY \(([^)]*)\) REFERENCES ([^\s(]+)\(([^)]*)\))");
  for (const auto& [key, object] : schema.objects()) {
    const auto& p = object.properties;
    auto get = [&](const char* name) {
      auto found = p.find(name);
      return found == p.end() ? std::string() : found->second;
    };
    if (object.kind == "table" && get("kind").empty()) tables.push_back(object.name);
    if (object.kind == "enum type") {
      std::vector<std::string> labels;
      static const std::regex label(R"('(?:[^']|'')*')");
      std::string text = get("labels");
      for (auto it = std::sregex_iterator(text.begin(), text.end(), label); it != std::sregex_iterator(); ++it) {
        labels.push_back(it->str());
      }
      enums[ascii_lowered(object.name)] = labels;
    }
    if (object.kind == "column") {
      std::string table = get("table");
      ColumnInfo info;
      info.name = object.name.substr(table.size() + 1);
      info.type = ascii_lowered(get("type"));
      info.nullable = get("nullable") != "no";
      info.generated_by_database = !get("default").empty() || !get("identity").empty() || !get("generated").empty();
      columns[table].push_back(info);
    }
    if (object.kind == "foreign key") {
      std::string table = get("table");
      if (!get("references").empty()) {  // SQLite
        std::string target = get("references");
        auto open = target.find('(');
        foreign_keys[table].push_back({split_list(get("columns")), target.substr(0, open),
                                       split_list(target.substr(open + 1, target.size() - open - 2))});
      } else {
        std::smatch match;
        std::string definition = get("definition");
        if (std::regex_search(definition, match, pg_foreign_key)) {
          foreign_keys[table].push_back({split_list(match[1]), match[2], split_list(match[3])});
        }
      }
    }
  }
  // Parents before children (self references and cycles are broken arbitrarily).
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < tables.size()) {
    bool progress = false;
    for (const auto& table : tables) {
      if (placed.count(table)) continue;
      bool ready = true;
      for (const auto& fk : foreign_keys[table]) {
        if (fk.parent != table && !placed.count(fk.parent) &&
            std::find(tables.begin(), tables.end(), fk.parent) != tables.end()) {
          ready = false;
        }
      }
      if (ready) {
        order.push_back(table);
        placed.insert(table);
        progress = true;
      }
    }
    if (!progress) {
      for (const auto& table : tables) {
        if (!placed.count(table)) {
          order.push_back(table);
          placed.insert(table);
          break;
        }
      }
    }
  }

  for (const auto& table : order) {
    // Values for foreign-key columns come from existing parent rows.
    std::map<std::string, std::vector<std::optional<std::string>>> parent_values;
    bool impossible = false;
    for (const auto& fk : foreign_keys[table]) {
      if (fk.parent == table) continue;
      std::string select = "SELECT ";
      for (std::size_t i = 0; i < fk.parent_columns.size(); ++i) {
        select += (i ? ", " : "") + db.quote_identifier(fk.parent_columns[i]);
      }
      select += " FROM " + quote_qualified(db, fk.parent) + " LIMIT " + std::to_string(rows);
      std::vector<Row> parents;
      try {
        parents = db.query(select);
      } catch (const EnvironmentError&) {
      }
      for (std::size_t c = 0; c < fk.columns.size(); ++c) {
        auto& values = parent_values[fk.columns[c]];
        for (const auto& row : parents) values.push_back(c < row.size() ? row[c] : std::nullopt);
      }
      if (parents.empty()) {
        for (const auto& column : fk.columns) {
          for (const auto& info : columns[table]) {
            if (info.name == column && !info.nullable && !info.generated_by_database) impossible = true;
          }
        }
      }
    }
    if (impossible) {
      result.problems.push_back("table " + table + ": no rows inserted (a NOT NULL foreign key's parent table is empty)");
      continue;
    }
    int failures = 0;
    std::string last_error;
    std::size_t inserted = 0;
    for (int r = 0; r < rows && failures < 3; ++r) {
      long long n = static_cast<long long>(round) * rows + r + 1;
      bool all_null_where_possible = false;
      for (int attempt = 0; attempt < 2; ++attempt) {
        std::string names, values;
        for (const auto& info : columns[table]) {
          if (info.generated_by_database) continue;
          std::optional<std::string> value;
          if (auto found = parent_values.find(info.name); found != parent_values.end()) {
            if (!found->second.empty()) {
              const auto& parent = found->second[static_cast<std::size_t>(r) % found->second.size()];
              value = parent ? db.quote_literal(*parent) : std::string("NULL");
            } else {
              value = std::string("NULL");
            }
          } else if (all_null_where_possible && info.nullable) {
            value = std::string("NULL");
          } else {
            value = value_for(db, sqlite, info.type, n, enums);
            if (!value) value = std::string("NULL");  // unknown type: the NOT NULL case is reported on failure
          }
          names += (names.empty() ? "" : ", ") + db.quote_identifier(info.name);
          values += (values.empty() ? "" : ", ") + *value;
        }
        std::string sql = names.empty() ? "INSERT INTO " + quote_qualified(db, table) + " DEFAULT VALUES"
                                        : "INSERT INTO " + quote_qualified(db, table) + " (" + names + ") VALUES (" + values + ")";
        auto error = db.execute(sql);
        if (!error) {
          ++inserted;
          break;
        }
        last_error = *error;
        if (attempt == 1) ++failures;
        all_null_where_possible = true;
      }
    }
    result.rows_inserted += inserted;
    if (inserted < static_cast<std::size_t>(rows)) {
      result.problems.push_back("table " + table + ": inserted " + std::to_string(inserted) + " of " +
                                std::to_string(rows) + " rows (" + last_error + ")");
    }
  }
  return result;
}

}  // namespace migsafe::harness
