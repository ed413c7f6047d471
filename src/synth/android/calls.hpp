#pragma once
// Telephony call rows, shared by the three call-log layouts (calllog.db,
// contacts2.db `calls`, Samsung logs.db `logs`). Internal.

#include <string>

#include "synth/android/context.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::android {

enum class CallTable { calllog_db, contacts2, samsung_logs };

// Creates the call table(s) of `flavor` in `db`, inserts every phone call
// of the story and writes their truth (table `calls` or `logs`).
[[nodiscard]] Status write_call_rows(Context& c, SqlDb& db, CallTable flavor, const std::string& db_path);

}  // namespace remit::synth::android
