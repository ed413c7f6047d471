// remit oversight: wiring of ingest, metrics, suppression and outputs, and
// the atomic output folder (temp folder next to --out, fsync, rename).
#include "remit/oversight.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "oversight/metrics.hpp"
#include "oversight/outputs.hpp"
#include "oversight/packages.hpp"
#include "oversight/records.hpp"
#include "remit/text.hpp"
#include "remit/version.hpp"

namespace remit::oversight {

namespace fs = std::filesystem;

std::string format_row_error(const fs::path& file, const RowError& e) {
  if (e.column.empty()) return fmt::format("{}: line {}: {}", printable(file.filename().string()), e.line, e.reason);
  return fmt::format("{}: line {}, column {}: {}", printable(file.filename().string()), e.line, printable(e.column),
                     e.reason);
}

namespace {

Status write_fsync(const fs::path& p, const std::string& data) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(Errc::io, printable(p.string()) + ": cannot create");
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return make_error(Errc::io, printable(p.string()) + ": write failed");
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return make_error(Errc::io, printable(p.string()) + ": fsync failed");
  return {};
}

Status fsync_dir(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::io, printable(p.string()) + ": cannot open folder to fsync");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(Errc::io, printable(p.string()) + ": fsync failed");
  return {};
}

// Writes files into a fresh temp folder beside `out`, then renames it into
// place. On any failure the temp folder is removed and `out` is untouched.
Status write_folder_atomically(const fs::path& out_in, bool replace,
                               const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  const fs::path out = fs::absolute(out_in, ec);
  const fs::path parent = out.parent_path();
  if (!fs::is_directory(parent, ec))
    return make_error(Errc::not_found, printable(parent.string()) + ": the folder for --out does not exist");
  const bool exists = fs::exists(fs::symlink_status(out, ec));
  if (exists && !replace)
    return make_error(Errc::usage, printable(out.string()) + ": already exists (use --force to replace it)");
  if (exists && !fs::is_directory(fs::symlink_status(out, ec)))
    return make_error(Errc::usage, printable(out.string()) + ": exists and is not a folder");
  std::string tmpl = (parent / ("." + out.filename().string() + ".tmp-XXXXXX")).string();
  if (!::mkdtemp(tmpl.data()))
    return make_error(Errc::io, printable(parent.string()) + ": cannot create a temp folder");
  const fs::path tmp(tmpl);
  auto cleanup = [&] { fs::remove_all(tmp, ec); };
  ::chmod(tmp.c_str(), 0755);
  for (const auto& [name, data] : files) {
    if (auto s = write_fsync(tmp / name, data); !s) {
      cleanup();
      return s;
    }
  }
  if (auto s = fsync_dir(tmp); !s) {
    cleanup();
    return s;
  }
  fs::path old;
  if (exists) {
    old = parent / ("." + out.filename().string() + ".old-" + std::to_string(::getpid()));
    fs::rename(out, old, ec);
    if (ec) {
      cleanup();
      return make_error(Errc::io, printable(out.string()) + ": cannot move the existing folder aside");
    }
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, out, ec);
    cleanup();
    return make_error(Errc::io, printable(out.string()) + ": cannot rename the temp folder into place");
  }
  if (auto s = fsync_dir(parent); !s) return s;
  if (!old.empty()) fs::remove_all(old, ec);
  return {};
}

}  // namespace

Result<Report> run_oversight(const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.min_cell < 0) return make_error(Errc::usage, "--min-cell must be 0 or more");
  auto loaded = load_cases(options);
  if (!loaded) return std::move(loaded).error();
  CaseSet& cs = *loaded;
  Report report;
  report.rows_read = cs.rows_read;
  if (!cs.errors.empty() && !options.lenient) {
    std::string msg = fmt::format(
        "{} row error(s); nothing was written (use "
        "--lenient to skip bad rows):",
        cs.errors.size());
    size_t shown = 0;
    for (const auto& e : cs.errors) {
      if (++shown > 50) {
        msg += fmt::format("\n  ... and {} more", cs.errors.size() - 50);
        break;
      }
      msg += "\n  " + format_row_error(options.input, e);
    }
    return make_error(Errc::malformed, msg);
  }
  report.skipped = cs.errors;
  report.rows_used = static_cast<int64_t>(cs.cases.size());
  if (cs.cases.empty())
    return make_error(Errc::malformed, printable(options.input.filename().string()) + ": no usable case records");

  MetricsInput in;
  in.cases = &cs;
  in.options = &options;
  in.tool_version = kVersion;
  if (!options.packages.empty()) {
    auto scan = scan_packages(options.packages);
    if (!scan) return std::move(scan).error();
    if (!scan->problems.empty() && !options.lenient) {
      std::string msg = "evidence package stats.json rejected (use --lenient to skip):";
      for (const auto& p : scan->problems) msg += "\n  " + p;
      return make_error(Errc::malformed, msg);
    }
    match_packages(*scan, cs.case_refs, in.authorised, in.packages_summary);
    const int64_t matched = in.packages_summary["cases_matched"].get<int64_t>();
    const bool hide = matched < options.min_cell && (matched > 0 || options.suppress_zeros);
    if (hide) in.packages_summary["cases_matched"] = nullptr;
    in.packages_summary["cases_matched_suppressed"] = hide;
    for (const auto& p : scan->problems) report.notes.push_back("package skipped: " + p);
    report.notes.push_back(fmt::format("packages: {} stats.json read, {} cases matched by case reference",
                                       scan->stats.size(),
                                       hide ? std::string("(suppressed)") : std::to_string(matched)));
  }
  report.notes.push_back(fmt::format("data date {} ({})", format_day(cs.data_date),
                                     cs.data_date_from_file ? "latest date in the file" : "--data-date"));
  nlohmann::json doc = compute_metrics(in);
  report.metrics_json = doc.dump(2) + "\n";

  if (!options.out.empty()) {
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back("metrics.json", report.metrics_json);
    for (auto& t : render_tables(doc)) files.push_back(std::move(t));
    files.emplace_back("dashboard.html", render_dashboard(doc));
    if (auto s = write_folder_atomically(options.out, options.replace_out, files); !s) return std::move(s).error();
    for (const auto& f : files) report.files.push_back(f.first);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace remit::oversight
