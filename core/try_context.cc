#include "core/try_context.h"

namespace dojobber::core {

TryContext::TryContext(const RunEnvironment& env, JobId job, const std::string& name,
                       int try_number, nlohmann::json& local, const std::atomic<bool>* muted,
                       CommandTracker* commands)
    : env_(env),
      job_(job),
      name_(name),
      try_number_(try_number),
      local_(local),
      muted_(muted),
      commands_(commands != nullptr ? commands : env.commands) {}

TryContext::~TryContext() {
  if (log_) log_->flush();
}

nlohmann::json& TryContext::local() {
  if (local_.is_null()) local_ = nlohmann::json::object();
  return local_;
}

CommandTracker& TryContext::commands() {
  if (commands_ == nullptr) commands_ = &own_commands_.emplace();
  return *commands_;
}

std::ostream& TryContext::log() {
  if (!log_) {
    log_buffer_.emplace(env_.observer, job_, name_, try_number_, muted_);
    log_.emplace(&*log_buffer_);
  }
  return *log_;
}

}  // namespace dojobber::core
