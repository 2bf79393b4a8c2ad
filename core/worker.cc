#include "core/worker.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>

#include <dojobber/error.h>

#include "core/cleanup_stack.h"
#include "core/global_storage.h"
#include "core/invoker.h"
#include "core/lost_thread.h"
#include "core/protocol.h"
#include "core/try_runner.h"
#include "core/wire.h"
#include "core/working_directory.h"

namespace dojobber::core {
namespace {

using nlohmann::json;

// The worker's end of the channel. Job code may call global storage from
// several threads of its own, so sends and request/reply pairs are locked.
class Channel {
 public:
  Channel(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {}

  // Waits for the first message, the start.
  Expected<json> ReadStart() {
    std::lock_guard lock(read_mutex_);
    return wire::ReadMessage(in_fd_, reader_);
  }

  // Sends one message. Every message sent is shallow or checked for depth
  // first, so a failure means the orchestrator is gone.
  Status Send(const json& message) {
    std::lock_guard lock(send_mutex_);
    return wire::WriteMessage(out_fd_, message);
  }

  // Sends a request and waits for the orchestrator's `global` reply. Stop
  // messages that arrive meanwhile are noted.
  Expected<json> Request(const json& request) {
    std::lock_guard exchange(exchange_mutex_);
    if (Status sent = Send(request); !sent) return sent.failure();
    std::lock_guard lock(read_mutex_);
    while (true) {
      Expected<json> message = wire::ReadMessage(in_fd_, reader_);
      if (!message) return Failure{"lost the orchestrator: " + message.message()};
      if (Note(*message)) continue;
      return std::move(*message);
    }
  }

  // Reads, without waiting, whatever the orchestrator has sent (only stop
  // messages are expected between requests).
  void Poll() {
    std::unique_lock lock(read_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;  // A request is reading: it notes stops itself.
    while (true) {
      pollfd ready{in_fd_, POLLIN, 0};
      if (::poll(&ready, 1, 0) <= 0 || (ready.revents & (POLLIN | POLLHUP)) == 0) break;
      char buffer[4096];
      const ssize_t got = ::read(in_fd_, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      reader_.Feed(std::string_view(buffer, static_cast<std::size_t>(got)));
      while (true) {
        Expected<std::optional<json>> next = reader_.Next();
        if (!next || !*next) break;
        (void)Note(**next);
      }
    }
  }

  std::stop_source& stop() { return stop_; }

 private:
  // Handles a message that is not a reply; returns whether it was one.
  bool Note(const json& message) {
    if (message.value(msg::kType, "") == msg::kStop) {
      stop_.request_stop();
      return true;
    }
    return false;
  }

  const int in_fd_;
  const int out_fd_;
  std::mutex send_mutex_;
  std::mutex exchange_mutex_;  // One request and its reply at a time.
  std::mutex read_mutex_;
  wire::FrameReader reader_;
  std::stop_source stop_;
};

// Global storage in a try's own process: every call is a request to the
// orchestrator, which holds the storage's lock across an Update's round
// trip, so Add and Update are as atomic as in-process.
class RemoteGlobalStorage final : public GlobalStorage {
 public:
  explicit RemoteGlobalStorage(Channel& channel) : channel_(channel) {}

  void Update(const std::function<void(json&)>& fn) override {
    json all = Fetch(msg::kGlobalUpdate);
    try {
      fn(all);
    } catch (...) {
      (void)channel_.Send({{msg::kType, msg::kGlobalAbort}});
      throw;
    }
    if (!all.is_object()) all = json::object();  // As in-process: the storage stays an object.
    if (wire::Depth(all) >= wire::kMaxDepth) {
      (void)channel_.Send({{msg::kType, msg::kGlobalAbort}});
      throw Error("global storage would nest deeper than " + std::to_string(wire::kMaxDepth - 1) +
                  " levels; not changed");
    }
    if (Status sent =
            channel_.Send({{msg::kType, msg::kGlobalCommit}, {msg::kValue, std::move(all)}});
        !sent) {
      throw Error("global storage: " + sent.message());
    }
  }

  void Read(const std::function<void(const json&)>& fn) const override {
    const json all = Fetch(msg::kGlobalRead);
    fn(all);
  }

  // The keyed calls carry one value each way, not the whole storage.
  bool Contains(std::string_view key) const override {
    return Ask({{msg::kType, msg::kGlobalGet}, {msg::kKey, key}}).value(msg::kFound, false);
  }
  json Get(std::string_view key) const override {
    json reply = Ask({{msg::kType, msg::kGlobalGet}, {msg::kKey, key}});
    return reply.contains(msg::kValue) ? std::move(reply[msg::kValue]) : json();
  }
  void Set(std::string_view key, json value) override {
    if (wire::Depth(value) >= wire::kMaxDepth - 1) {
      throw Error("global storage: the value nests deeper than " +
                  std::to_string(wire::kMaxDepth - 2) + " levels");
    }
    (void)Ask({{msg::kType, msg::kGlobalSet}, {msg::kKey, key}, {msg::kValue, std::move(value)}});
  }
  bool Erase(std::string_view key) override {
    return Ask({{msg::kType, msg::kGlobalErase}, {msg::kKey, key}}).value(msg::kFound, false);
  }
  std::int64_t Add(std::string_view key, std::int64_t delta) override {
    const json reply = Ask({{msg::kType, msg::kGlobalAdd}, {msg::kKey, key}, {msg::kDelta, delta}});
    const auto value = reply.find(msg::kValue);
    if (value == reply.end() || !value->is_number_integer()) {
      throw Error("global storage: the orchestrator sent no sum");
    }
    return value->get<std::int64_t>();
  }

 private:
  // One request and its reply; a reply that carries an error throws it, as
  // the same call would in-process.
  json Ask(const json& request) const {
    Expected<json> reply = channel_.Request(request);
    if (!reply) throw Error("global storage: " + reply.message());
    if (reply->contains(msg::kError)) throw Error(msg::Text((*reply), msg::kError));
    return std::move(*reply);
  }

  json Fetch(const char* request) const {
    json reply = Ask({{msg::kType, request}});
    json* value = reply.contains(msg::kValue) ? &reply[msg::kValue] : nullptr;
    if (value == nullptr || !value->is_object()) {
      throw Error("global storage: the orchestrator sent no value");
    }
    return std::move(*value);
  }

  Channel& channel_;
};

// Passes the try's trace and log lines to the orchestrator as they happen.
class ChannelObserver final : public RunObserver {
 public:
  explicit ChannelObserver(Channel& channel) : channel_(channel) {}
  void OnPhase(const PhaseEvent& event) override {
    (void)channel_.Send({{msg::kType, msg::kPhase},
                         {msg::kPhaseName, PhaseName(event.phase)},
                         {msg::kPassed, event.passed},
                         {msg::kError, event.error},
                         {msg::kErrorType, event.error_type}});
  }
  void OnCleanupOwed(JobId, int) override {
    (void)channel_.Send({{msg::kType, msg::kCleanupOwed}});
  }
  void OnJobLog(JobId, std::string_view, int, std::string_view line) override {
    (void)channel_.Send({{msg::kType, msg::kLog}, {msg::kLine, line}});
  }

 private:
  Channel& channel_;
};

// Tells the orchestrator of each command's process group: it ends the
// groups left when this process ends, however it ends (killed at a timeout
// too). Sent before the command's program starts (RunCommand waits for
// Started), so a kill at any moment leaves no group unknown.
class ChannelCommands final : public CommandTracker {
 public:
  explicit ChannelCommands(Channel& channel) : channel_(channel) {}
  bool Started(pid_t group) override {
    return static_cast<bool>(channel_.Send(
        {{msg::kType, msg::kCommand}, {msg::kGroup, static_cast<std::int64_t>(group)}}));
  }
  void Ended(pid_t group) override {
    (void)channel_.Send(
        {{msg::kType, msg::kCommandEnded}, {msg::kGroup, static_cast<std::int64_t>(group)}});
  }
  // This process is killed rather than asked: nothing cancels here.
  bool cancelled() const override { return false; }

 private:
  Channel& channel_;
};

json Ended(const char* status, const std::optional<std::string>& error) {
  return {{msg::kType, msg::kEnd},
          {msg::kStatus, status},
          {msg::kError, error ? json(*error) : json(nullptr)},
          {msg::kErrorType, ""}};
}

json MakeTry(const json& start, const JobSpec& spec, const RunEnvironment& env) {
  const WorkingDirectory working_directory;
  CleanupStack kept;
  const int try_number = start.value(msg::kTry, 1);
  TryOutcome outcome = TryRunner(env, working_directory, kept).Run(0, spec, try_number);
  json end = Ended(StatusName(outcome.status), outcome.error);
  end[msg::kResult] = std::move(outcome.result);
  end[msg::kByCheck] = outcome.failed_by_check;
  end[msg::kRunError] = outcome.run_error ? json(*outcome.run_error) : json(nullptr);
  end[msg::kFatal] = outcome.fatal;
  if (kept.size() > 0) end[msg::kLocal] = kept.Top().local;
  return end;
}

json MakeCleanup(const json& start, const JobSpec& spec, const RunEnvironment& env) {
  std::unique_ptr<Job> job;
  CallOutcome outcome = CreateJob(spec.factory, job);
  json local = start.value(msg::kLocal, json());
  if (outcome.ok) {
    TryContext ctx(env, 0, spec.name, start.value(msg::kTry, 1), local);
    ctx.set_phase(Phase::kCleanup);
    outcome = CallPhase(*job, Phase::kCleanup, ctx);
  }
  json end = Ended(outcome.ok ? "ok" : "failed",
                   outcome.ok ? std::nullopt : std::optional<std::string>(outcome.error));
  end[msg::kErrorType] = outcome.error_type;
  return end;
}

// The end message, made safe to send: a value nested too deep for the
// protocol fails the try instead (in-process runs refuse it the same way).
json Sendable(json end) {
  for (const char* key : {msg::kResult, msg::kLocal}) {
    if (end.contains(key) && wire::Depth(end[key]) >= wire::kMaxDepth) {
      end.erase(key);
      end[msg::kStatus] = "failed";
      end[msg::kError] = std::string(key == msg::kResult ? "the job's result" : "local storage") +
                         " nests deeper than " + std::to_string(wire::kMaxDepth - 1) + " levels";
    }
  }
  return end;
}

}  // namespace

int ServeWorker(int in_fd, int out_fd, const Arguments& args, const FindJob& find,
                std::string_view setup_error, std::string_view where) {
  Channel channel(in_fd, out_fd);
  json hello = {{msg::kType, msg::kHello},
                {msg::kVersion, wire::kVersion},
                {msg::kPid, static_cast<std::int64_t>(::getpid())}};
  if (!where.empty()) hello[msg::kWhere] = where;
  if (!channel.Send(hello)) return 1;
  Expected<json> start = channel.ReadStart();
  if (!start) return 1;

  json end;
  const std::string name = msg::Text(*start, msg::kJob);
  const JobSpec* spec = find(name);
  if (!setup_error.empty()) {
    end = Ended("failed", "the try's process cannot start: " + std::string(setup_error));
  } else if (start->value(msg::kType, "") != msg::kStart ||
             start->value(msg::kVersion, 0) != wire::kVersion) {
    end = Ended("failed", "the orchestrator speaks another protocol version (this worker: " +
                              std::to_string(wire::kVersion) + ")");
  } else if (spec == nullptr) {
    end = Ended("failed", "job '" + name + "' is not registered in the try's process");
  } else {
    RemoteGlobalStorage global(channel);
    ChannelObserver observer(channel);
    ChannelCommands commands(channel);
    if (start->value(msg::kStopRequested, false)) channel.stop().request_stop();
    const RunEnvironment env{args,
                             global,
                             observer,
                             start->value(msg::kNoAct, false),
                             channel.stop().get_token(),
                             [&channel] { channel.Poll(); },
                             &commands};
    // Job code that ends this thread (pthread_exit) must not unwind further:
    // in a forked process, the frames above are a copy of the orchestrator's.
    // The try or cleanup fails with that cause, and the process ends here.
    UnwindGuard lost([&channel] {
      (void)channel.Send(Ended("failed", std::string(kThreadEndedCause)));
      std::cout.flush();
      std::fflush(nullptr);
      ::_exit(0);
    });
    end = msg::Text(*start, msg::kAction) == msg::kCleanup ? MakeCleanup(*start, *spec, env)
                                                           : MakeTry(*start, *spec, env);
    lost.Dismiss();
  }
  return channel.Send(Sendable(std::move(end))) ? 0 : 1;
}

}  // namespace dojobber::core
