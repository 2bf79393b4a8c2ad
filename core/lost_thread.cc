#include "core/lost_thread.h"

#include <exception>
#include <system_error>
#include <thread>

namespace dojobber::core {

bool RunOnSpareThread(const std::function<void()>& body) {
  bool returned = false;
  std::exception_ptr failure;
  auto run = [&] {
    try {
      body();
      returned = true;
    } catch (...) {
      // A forced unwind is a foreign exception, which current_exception()
      // cannot hold: let it end this thread, as it must.
      failure = std::current_exception();
      if (!failure) throw;
    }
  };
  std::thread thread;
  try {
    thread = std::thread(run);
  } catch (const std::system_error&) {
    run();  // Out of threads: this one does the work.
  }
  if (thread.joinable()) thread.join();
  if (failure) std::rethrow_exception(failure);
  return returned;
}

}  // namespace dojobber::core
