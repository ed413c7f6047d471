#include "remit/local_audit.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "remit/timeconv.hpp"

namespace remit {

std::filesystem::path local_state_dir() {
  if (const char* d = std::getenv("REMIT_STATE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::filesystem::path(x) / "remit";
  if (const char* h = std::getenv("HOME"); h && *h) return std::filesystem::path(h) / ".local/state/remit";
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir)
    return std::filesystem::path(pw->pw_dir) / ".local/state/remit";
  return "/var/tmp/remit-state";
}

std::filesystem::path unscoped_audit_path() {
  return local_state_dir() / "unscoped-audit.jsonl";
}

std::string current_user() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name) return pw->pw_name;
  if (const char* u = std::getenv("USER"); u && *u) return u;
  return "uid:" + std::to_string(::geteuid());
}

std::string now_rfc3339() {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return format_rfc3339_ms(ms);
}

Status append_unscoped_access(const UnscopedAccess& r) {
  const auto dir = local_state_dir();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::io, dir.string() + ": cannot create the audit log folder: " + ec.message());
  const auto path = unscoped_audit_path();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Errc::io, path.string() + ": cannot open the audit log: " + std::strerror(errno));
  nlohmann::ordered_json j = {{"event", "unscoped_items"},
                              {"time", r.time_utc},
                              {"user", r.user},
                              {"host", r.host},
                              {"reason", r.reason},
                              {"evidence", r.evidence},
                              {(r.inventory ? "evidence_inventory_sha256" : "evidence_sha256"), r.evidence_sha256},
                              {"tool_version", r.tool_version}};
  const std::string line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  const ssize_t n = ::write(fd, line.data(), line.size());
  const bool ok = n == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) return make_error(Errc::io, path.string() + ": cannot write the audit log: " + std::strerror(err));
  return {};
}

}  // namespace remit
