#include "harness/url.h"

#include <regex>

namespace migsafe::harness {

std::string mask_connection_string(const std::string& text) {
  std::string masked = text;
  // scheme://user:password@host
  static const std::regex url_password(R"(^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#:@]*):[^@/?#]*@)");
  masked = std::regex_replace(masked, url_password, "$1:***@");
  // ?password=... / &password=...
  static const std::regex query_password(R"(([?&]password=)[^&#]*)", std::regex::icase);
  masked = std::regex_replace(masked, query_password, "$1***");
  // key=value form: password=secret or password='se cret'
  static const std::regex keyword_password(R"((^|\s)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*))", std::regex::icase);
  masked = std::regex_replace(masked, keyword_password, "$1$2***");
  return masked;
}

}  // namespace migsafe::harness
