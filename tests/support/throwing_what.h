#ifndef DOJOBBER_TESTS_SUPPORT_THROWING_WHAT_H_
#define DOJOBBER_TESTS_SUPPORT_THROWING_WHAT_H_

#include <exception>

namespace dojobber::testing {

/// A std::exception whose what() throws in spite of being noexcept, as a
/// what() compiled without exception tables (-fno-exceptions, C code) can:
/// the exception passes through it to its caller. what() is defined in
/// throwing_what.cc, compiled with -fno-exceptions, and calls ThrowFromWhat().
class ThrowingWhat : public std::exception {
 public:
  const char* what() const noexcept override;
};

/// Throws; defined by the code that uses ThrowingWhat (a test, a plugin).
[[noreturn]] void ThrowFromWhat();

}  // namespace dojobber::testing

#endif  // DOJOBBER_TESTS_SUPPORT_THROWING_WHAT_H_
