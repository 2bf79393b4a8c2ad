// Compiled with -fno-exceptions wherever it is used: without exception
// tables nothing here enforces what()'s noexcept, so what ThrowFromWhat()
// throws goes on to what()'s caller.

#include "support/throwing_what.h"

namespace dojobber::testing {

const char* ThrowingWhat::what() const noexcept { ThrowFromWhat(); }

}  // namespace dojobber::testing
