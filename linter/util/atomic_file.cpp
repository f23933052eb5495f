#include "linter/util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <system_error>

namespace migsafe {

namespace fs = std::filesystem;

namespace {

bool write_directly(const fs::path& target, const std::function<void(std::ostream&)>& write) {
  std::ofstream stream(target, std::ios::binary | std::ios::trunc);
  if (!stream) return false;
  write(stream);
  stream.close();
  return static_cast<bool>(stream);
}

// Removes the temporary file unless it was renamed into place.
struct TemporaryFile {
  std::string path;
  bool installed = false;
  ~TemporaryFile() {
    if (!installed && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

bool write_file_atomically(const fs::path& target, const std::function<void(std::ostream&)>& write) {
  std::error_code error;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), error);
  fs::file_status status = fs::status(target, error);
  if (fs::exists(status) && !fs::is_regular_file(status)) return write_directly(target, write);

  fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  TemporaryFile temporary;
  temporary.path = (directory / ("." + target.filename().string() + ".migsafe-XXXXXX")).string();
  int descriptor = ::mkstemp(temporary.path.data());
  if (descriptor < 0) {
    temporary.path.clear();
    return false;
  }
  ::close(descriptor);
  // mkstemp creates the file 0600; a report is as readable as any file the user creates.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temporary.path.c_str(), 0666 & ~mask);
  if (!write_directly(temporary.path, write)) return false;
  if (::rename(temporary.path.c_str(), target.c_str()) != 0) return false;
  temporary.installed = true;
  return true;
}

}  // namespace migsafe
