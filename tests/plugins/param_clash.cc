// Declares `couch_space`, which movie.so declares as a boolean, as a string:
// loading both is refused.

#include <dojobber/dojobber.h>

DOJOBBER_PLUGIN(registry) {
  registry.Declare(dojobber::Param::String("couch_space").Default("plenty"));
}
