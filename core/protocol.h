#ifndef DOJOBBER_CORE_PROTOCOL_H_
#define DOJOBBER_CORE_PROTOCOL_H_

/// The messages between the orchestrator and a try's process: their types
/// and key names, as docs/protocol.md ("Messages") describes them. Framing
/// is in core/wire.h.
#include <string>

#include <nlohmann/json.hpp>

namespace dojobber::core::msg {

/// The string at `key` of a received message, or "" when it is missing or
/// not a string: a peer's message is never trusted to have a key's type.
inline std::string Text(const nlohmann::json& message, const char* key) {
  auto it = message.find(key);
  return it != message.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Keys.
inline constexpr const char* kType = "type";
inline constexpr const char* kVersion = "version";
inline constexpr const char* kPid = "pid";
inline constexpr const char* kWhere = "where";
inline constexpr const char* kAction = "action";
inline constexpr const char* kJob = "job";
inline constexpr const char* kTry = "try";
inline constexpr const char* kNoAct = "no_act";
inline constexpr const char* kStopRequested = "stop_requested";
inline constexpr const char* kLocal = "local";
inline constexpr const char* kPhaseName = "phase";
inline constexpr const char* kPassed = "passed";
inline constexpr const char* kError = "error";
inline constexpr const char* kErrorType = "error_type";
inline constexpr const char* kLine = "line";
inline constexpr const char* kValue = "value";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kResult = "result";
inline constexpr const char* kKey = "key";
inline constexpr const char* kDelta = "delta";
inline constexpr const char* kFound = "found";
inline constexpr const char* kByCheck = "by_check";
inline constexpr const char* kRunError = "run_error";
inline constexpr const char* kFatal = "fatal";
inline constexpr const char* kGroup = "group";

// Types, orchestrator to worker.
inline constexpr const char* kStart = "start";    ///< The try or cleanup to make.
inline constexpr const char* kGlobal = "global";  ///< Reply: the global storage's value.
inline constexpr const char* kStop = "stop";      ///< The run was asked to stop.

// Types, worker to orchestrator.
inline constexpr const char* kHello = "hello";  ///< First message: version, pid, where.
inline constexpr const char* kPhase = "phase";  ///< One phase ended.
inline constexpr const char* kCleanupOwed = "cleanup_owed";  ///< The job object exists.
inline constexpr const char* kLog = "log";                   ///< One line of ctx.log().
inline constexpr const char* kGlobalRead = "global_read";    ///< The whole storage.
inline constexpr const char* kGlobalGet = "global_get";      ///< One key's value.
inline constexpr const char* kGlobalSet = "global_set";
inline constexpr const char* kGlobalErase = "global_erase";
inline constexpr const char* kGlobalAdd = "global_add";
inline constexpr const char* kGlobalUpdate = "global_update";  ///< Takes the lock.
inline constexpr const char* kGlobalCommit = "global_commit";  ///< New value; frees the lock.
inline constexpr const char* kGlobalAbort = "global_abort";    ///< No change; frees the lock.
inline constexpr const char* kEnd = "end";                     ///< The try or cleanup ended.
inline constexpr const char* kCommand = "command";  ///< A command's process group is about to run.
inline constexpr const char* kCommandEnded = "command_ended";  ///< That group has ended.

// Values of kAction.
inline constexpr const char* kTryAction = "try";
inline constexpr const char* kCleanup = "cleanup";

}  // namespace dojobber::core::msg

#endif  // DOJOBBER_CORE_PROTOCOL_H_
