// The long-lived Python process that drives Alembic's command API for one run (alembic_driver.py,
// embedded in the binary): JSON lines over its stdin/stdout, every wait bounded by the step deadline.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/process.h"

namespace migsafe::harness {

// Finds a python3 that can `import alembic`: `explicit_python` when given, else $MIGSAFE_PYTHON,
// /usr/bin/python3, python3 on PATH. Throws EnvironmentError naming what was tried.
std::filesystem::path find_python_with_alembic(const std::optional<std::string>& explicit_python);

struct AlembicRevision {
  std::string id;
  std::vector<std::string> parents;
  std::filesystem::path path;
  bool has_downgrade = true;
};

struct AlembicProjectFiles {
  std::filesystem::path config_file;      // alembic.ini (may be empty)
  std::filesystem::path script_location;  // set when there is no alembic.ini or it must be overridden
  std::filesystem::path working_directory;
};
// Locates alembic.ini / the script directory for a project root; nullopt when it is not Alembic.
std::optional<AlembicProjectFiles> locate_alembic_project(const std::filesystem::path& root);

struct AlembicOutcome {
  bool ok = true;
  std::string error;
  std::filesystem::path path;  // revision file the error was raised in
  int line = 0;
  bool timed_out = false;
  nlohmann::json trace;  // --trace: the driver's observation of the step (harness/trace.h)
};

class AlembicSession {
 public:
  AlembicSession(std::filesystem::path python, AlembicProjectFiles files, std::string env_mode,
                 std::filesystem::path work_dir, std::optional<double> step_timeout_seconds);
  ~AlembicSession();

  // Revisions base -> heads (starts the driver).
  std::vector<AlembicRevision> revisions();
  // `trace`: record locks, relfilenodes and notices after every statement (PostgreSQL; --trace).
  AlembicOutcome upgrade_one(const std::string& revision, const std::string& url, const Deadline& deadline,
                             bool trace = false);
  AlembicOutcome downgrade_one(const std::string& revision, const std::string& url, const Deadline& deadline);
  AlembicOutcome upgrade_to(const std::string& target, const std::string& url, const Deadline& deadline);
  AlembicOutcome downgrade_to(const std::string& target, const std::string& url, const Deadline& deadline);
  // Closes the PostgreSQL connections the driver keeps between steps (before a database is copied or
  // dropped). Never throws: a driver that does not answer, or an interrupt, kills the driver (it is
  // restarted at the next step), which closes its connections too.
  void release_connections() noexcept;

 private:
  void start();
  void stop();
  // Sends one request and waits for its answer; kills the driver on timeout (restarted on next use).
  std::optional<nlohmann::json> request(const nlohmann::json& message, const Deadline& deadline);
  AlembicOutcome outcome(const std::optional<nlohmann::json>& answer, const std::string& what);

  std::filesystem::path python_;
  AlembicProjectFiles files_;
  std::string env_mode_;
  std::filesystem::path work_dir_;
  std::optional<double> step_timeout_seconds_;
  std::optional<ChildProcess> driver_;
  std::string buffer_;
  std::vector<AlembicRevision> revisions_;
  bool initialised_ = false;
};

// The embedded driver source.
std::string_view alembic_driver_source();

}  // namespace migsafe::harness
