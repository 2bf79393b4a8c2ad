#ifndef DOJOBBER_CORE_TEXT_FORMAT_H_
#define DOJOBBER_CORE_TEXT_FORMAT_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace dojobber::core {

/// A duration in the status report: seconds with millisecond precision,
/// whatever the size (`0.003s`, `1.250s`, `125.400s`), so that the decimal
/// points of a right-aligned column line up. Negative or NaN: `0.000s`.
std::string FormatDuration(double seconds);

/// A number of seconds as written in options and reports: shortest form that
/// reads back the same (`1`, `0.001`, `2.5`).
std::string FormatSeconds(double seconds);

/// A wall-clock time as RFC 3339 in UTC with milliseconds, the form of the
/// report's times and the `--log` lines: `2026-11-30T18:53:01.123Z`.
std::string FormatUtcTime(std::chrono::system_clock::time_point time);

/// Appends `text` as a JSON string literal (quotes included). Invalid UTF-8
/// becomes U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text);

/// What makes `name` unfit as a job name, or "" when nothing does: names
/// must be valid UTF-8 without control characters, so that every output
/// (trace, status table, JSON, DOT) shows them on one line, unchanged.
std::string_view JobNameProblem(std::string_view name);

/// Whether `text` holds a C0 or C1 control character or DEL (bytes that are
/// not UTF-8 do not count).
bool HasControlCharacter(std::string_view text);

/// `text` safe to show on a terminal, on one line: C0 and C1 control
/// characters, DEL and bytes that are not UTF-8 are written as `\n`, `\t` or
/// `\xNN` (a CRLF line end as `\n`); valid UTF-8 stays as it is, so text
/// without control characters comes back unchanged. The one escaping used
/// wherever text from job code, plugins or the command line meets a terminal.
std::string Printable(std::string_view text);

/// The number of terminal columns that Printable(text) takes: wide East Asian
/// characters count 2, combining marks 0, per the C library's wcwidth under
/// the C.UTF-8 locale (whatever the process locale is). Characters that
/// wcwidth calls unprintable count 1. Without a C.UTF-8 locale, every
/// character counts 1.
std::size_t DisplayWidth(std::string_view text);

/// Printable(text) followed by spaces up to `width` display columns
/// (DisplayWidth); wider text is not cut.
std::string PadToWidth(std::string_view text, std::size_t width);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TEXT_FORMAT_H_
