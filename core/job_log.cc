#include "core/job_log.h"

namespace dojobber::core {

JobLog::JobLog(RunObserver& observer, JobId job, std::string_view name, int try_number,
               const std::atomic<bool>* muted)
    : observer_(observer), job_(job), name_(name), try_number_(try_number), muted_(muted) {}

JobLog::~JobLog() { FlushPartialLine(); }

void JobLog::FlushPartialLine() {
  if (line_.empty()) return;
  Emit();
}

void JobLog::Emit() {
  if (muted_ == nullptr || !*muted_) observer_.OnJobLog(job_, name_, try_number_, line_);
  line_.clear();
}

JobLog::int_type JobLog::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  Append(std::string_view(&ch, 1));
  return c;
}

std::streamsize JobLog::xsputn(const char* text, std::streamsize count) {
  Append(std::string_view(text, static_cast<std::size_t>(count)));
  return count;
}

void JobLog::Append(std::string_view text) {
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
      line_.append(text);
      return;
    }
    line_.append(text.substr(0, newline));
    Emit();
    text.remove_prefix(newline + 1);
  }
}

}  // namespace dojobber::core
