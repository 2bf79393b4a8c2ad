#ifndef DOJOBBER_CORE_TEXT_FORMAT_H_
#define DOJOBBER_CORE_TEXT_FORMAT_H_

#include <string>
#include <string_view>

namespace dojobber::core {

/// A duration for people: `0.003s`, `1.25s`, `2m05s`, `1h02m`.
std::string FormatDuration(double seconds);

/// A number of seconds as written in options and reports: shortest form that
/// reads back the same (`1`, `0.001`, `2.5`).
std::string FormatSeconds(double seconds);

/// Appends `text` as a JSON string literal (quotes included). Invalid UTF-8
/// becomes U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text);

/// `text` on one line: newlines become `\n`, carriage returns are dropped.
std::string OneLine(std::string_view text);

/// What makes `name` unfit as a job name, or "" when nothing does: names
/// must be valid UTF-8 without control characters, so that every output
/// (trace, status table, JSON, DOT) shows them on one line, unchanged.
std::string_view JobNameProblem(std::string_view name);

/// `text` safe to print in a one-line message: control characters and bytes
/// that are not UTF-8 are written as `\n`, `\t` or `\xNN`.
std::string Printable(std::string_view text);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TEXT_FORMAT_H_
