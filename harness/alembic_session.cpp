#include "harness/alembic_session.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include "harness/trace.h"

namespace migsafe::harness {
namespace {

bool can_import_alembic(const std::filesystem::path& python) {
  if (access(python.c_str(), X_OK) != 0) return false;
  SpawnOptions options;
  options.argv = {python.string(), "-c", "import alembic, sqlalchemy"};
  try {
    return exited_successfully(run_to_completion(options, Deadline::after_seconds(30), python.string()));
  } catch (const EnvironmentError&) {
    return false;
  }
}

bool write_all(int fd, const std::string& data) {
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        throw_if_interrupted();
        continue;
      }
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::filesystem::path find_python_with_alembic(const std::optional<std::string>& explicit_python) {
  if (explicit_python) {
    if (can_import_alembic(*explicit_python)) return *explicit_python;
    throw EnvironmentError("--python " + *explicit_python + " cannot import alembic and sqlalchemy");
  }
  std::vector<std::filesystem::path> candidates;
  if (const char* configured = std::getenv("MIGSAFE_PYTHON"); configured && *configured) candidates.emplace_back(configured);
  candidates.emplace_back("/usr/bin/python3");
  if (auto on_path = find_on_path("python3"); !on_path.empty()) candidates.push_back(on_path);
  std::string tried;
  for (const auto& candidate : candidates) {
    if (can_import_alembic(candidate)) return candidate;
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  throw EnvironmentError("no python3 that can import alembic and sqlalchemy (tried " + tried +
                         "); install python3-alembic or pass --python PATH");
}

std::optional<AlembicProjectFiles> locate_alembic_project(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::error_code error;
  auto is_script_dir = [&](const fs::path& dir) {
    return fs::exists(dir / "env.py", error) && fs::is_directory(dir / "versions", error);
  };
  for (const fs::path& dir : {root, root.parent_path()}) {
    if (fs::exists(dir / "alembic.ini", error)) {
      AlembicProjectFiles files{dir / "alembic.ini", {}, dir};
      // An ini next to a script directory it does not point at (e.g. the root is the script dir).
      if (is_script_dir(root)) files.script_location = root;
      return files;
    }
  }
  for (const fs::path& dir : {root, root / "alembic", root / "migrations"}) {
    if (is_script_dir(dir)) return AlembicProjectFiles{{}, dir, root};
  }
  return std::nullopt;
}

AlembicSession::AlembicSession(std::filesystem::path python, AlembicProjectFiles files, std::string env_mode,
                               std::filesystem::path work_dir, std::optional<double> step_timeout_seconds)
    : python_(std::move(python)), files_(std::move(files)), env_mode_(std::move(env_mode)),
      work_dir_(std::move(work_dir)), step_timeout_seconds_(step_timeout_seconds) {}

AlembicSession::~AlembicSession() { stop(); }

void AlembicSession::start() {
  auto script = work_dir_ / "alembic_driver.py";
  {
    std::ofstream out(script, std::ios::binary);
    out << alembic_driver_source();
    if (!out) throw EnvironmentError("cannot write " + script.string());
  }
  SpawnOptions options;
  options.argv = {python_.string(), "-u", script.string()};
  options.cwd = files_.working_directory;
  options.output_file = work_dir_ / "alembic.log";
  options.pipe_stdin = true;
  options.pipe_stdout = true;
  options.extra_environment.push_back("PYTHONDONTWRITEBYTECODE=1");
  if (step_timeout_seconds_) {
    // libpq (psycopg2) applies PGOPTIONS to every connection the project's env.py opens.
    options.extra_environment.push_back("PGOPTIONS=-c statement_timeout=" +
                                        std::to_string(static_cast<long long>(*step_timeout_seconds_ * 1000)));
  }
  driver_ = ChildProcess::spawn(options);
  buffer_.clear();
  nlohmann::json init{{"op", "init"},
                      {"config", files_.config_file.string()},
                      {"script_location", files_.script_location.string()},
                      {"env", env_mode_}};
  auto answer = request(init, Deadline::after_seconds(120));
  if (!answer || !(*answer)["ok"].get<bool>()) {
    std::string error = answer ? (*answer).value("error", "") : "no answer";
    std::string traceback = answer ? (*answer).value("traceback", "") : tail_of_file(work_dir_ / "alembic.log");
    stop();
    throw EnvironmentError("Alembic could not load the project (" + error + ")" +
                           (traceback.empty() ? "" : ":\n" + traceback) +
                           (env_mode_ == "project" ? "\nIf env.py needs the whole application, try --alembic-env builtin." : ""));
  }
  revisions_.clear();
  for (const auto& revision : (*answer)["revisions"]) {
    AlembicRevision entry;
    entry.id = revision["id"].get<std::string>();
    entry.parents = revision["parents"].get<std::vector<std::string>>();
    entry.path = revision["path"].get<std::string>();
    entry.has_downgrade = revision["has_downgrade"].get<bool>();
    revisions_.push_back(std::move(entry));
  }
  initialised_ = true;
}

void AlembicSession::stop() {
  if (!driver_) return;
  driver_->close_stdin();  // the driver's loop ends at EOF
  if (!driver_->wait_until(Deadline::after_seconds(5), false)) driver_->kill_and_reap();
  driver_.reset();
  initialised_ = false;
}

std::optional<nlohmann::json> AlembicSession::request(const nlohmann::json& message, const Deadline& deadline) {
  if (!write_all(driver_->stdin_fd(), message.dump() + "\n")) {
    stop();
    return std::nullopt;
  }
  while (true) {
    auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      try {
        return nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception&) {
        continue;  // not ours; the driver writes only JSON lines, but be lenient
      }
    }
    if (pending_signal() != 0) {
      driver_->kill_and_reap();
      driver_.reset();
      throw_if_interrupted();
    }
    if (deadline.expired()) {
      // A hung migration: kill the driver (and with it the statement's client side); restart later.
      driver_->kill_and_reap();
      driver_.reset();
      initialised_ = false;
      return nlohmann::json{{"ok", false}, {"error", "the step did not finish within --step-timeout; the Alembic driver was killed"},
                            {"timed_out", true}};
    }
    pollfd descriptor{driver_->stdout_fd(), POLLIN, 0};
    int ready = poll(&descriptor, 1, deadline.wait_ms(100));
    if (ready < 0 && errno != EINTR) return std::nullopt;
    if (ready <= 0) continue;
    char chunk[4096];
    ssize_t n = read(driver_->stdout_fd(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // the driver died
      driver_->wait_until(Deadline::after_seconds(2), false);
      driver_.reset();
      initialised_ = false;
      return std::nullopt;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::vector<AlembicRevision> AlembicSession::revisions() {
  if (!initialised_) start();
  return revisions_;
}

AlembicOutcome AlembicSession::outcome(const std::optional<nlohmann::json>& answer, const std::string& what) {
  AlembicOutcome result;
  if (!answer) {
    result.ok = false;
    result.error = "the Alembic driver exited during " + what + ":\n" + tail_of_file(work_dir_ / "alembic.log", 1500);
    return result;
  }
  result.ok = answer->value("ok", false);
  if (answer->contains("trace")) result.trace = (*answer)["trace"];
  if (!result.ok) {
    result.error = answer->value("error", "unknown error");
    result.path = answer->value("path", "");
    result.line = answer->value("line", 0);
    result.timed_out = answer->value("timed_out", false);
  }
  return result;
}

AlembicOutcome AlembicSession::upgrade_one(const std::string& revision, const std::string& url, const Deadline& deadline,
                                           bool trace) {
  if (!initialised_) start();
  nlohmann::json message{{"op", "upgrade"}, {"rev", revision}, {"url", url}};
  if (trace) message["trace"] = {{"relations", kTraceRelationsQuery}, {"locks", kTraceLocksQuery}};
  return outcome(request(message, deadline), "upgrade " + revision);
}

AlembicOutcome AlembicSession::downgrade_one(const std::string& revision, const std::string& url, const Deadline& deadline) {
  if (!initialised_) start();
  return outcome(request({{"op", "downgrade"}, {"rev", revision}, {"url", url}}, deadline), "downgrade " + revision);
}

AlembicOutcome AlembicSession::upgrade_to(const std::string& target, const std::string& url, const Deadline& deadline) {
  if (!initialised_) start();
  return outcome(request({{"op", "upgrade_to"}, {"target", target}, {"url", url}}, deadline), "upgrade " + target);
}

AlembicOutcome AlembicSession::downgrade_to(const std::string& target, const std::string& url, const Deadline& deadline) {
  if (!initialised_) start();
  return outcome(request({{"op", "downgrade_to"}, {"target", target}, {"url", url}}, deadline), "downgrade " + target);
}

void AlembicSession::release_connections() noexcept {
  if (!driver_ || !initialised_) return;
  auto kill = [this] {
    driver_->kill_and_reap();
    driver_.reset();
    initialised_ = false;
  };
  try {
    if (pending_signal() != 0) return kill();
    auto answer = request({{"op", "release"}}, Deadline::after_seconds(30));
    if (!driver_) return;  // it died or timed out inside request()
    if (!answer || !answer->value("ok", false)) kill();
  } catch (...) {
    if (driver_) kill();
  }
}

}  // namespace migsafe::harness
