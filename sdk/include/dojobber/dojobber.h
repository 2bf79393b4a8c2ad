#ifndef DOJOBBER_DOJOBBER_H_
#define DOJOBBER_DOJOBBER_H_

/// The dojobber SDK: everything a plugin author needs, in one include.
///
///     #include <dojobber/dojobber.h>
///
///     class FindTVRemote : public dojobber::Job {
///      public:
///       void Check(dojobber::Context&) override {}
///       void Run(dojobber::Context&) override {}
///     };
///
///     DOJOBBER_PLUGIN(registry) { registry.Add<FindTVRemote>("FindTVRemote"); }

#include <dojobber/arguments.h>
#include <dojobber/command.h>
#include <dojobber/context.h>
#include <dojobber/error.h>
#include <dojobber/job.h>
#include <dojobber/params.h>
#include <dojobber/plugin.h>
#include <dojobber/registry.h>
#include <dojobber/storage.h>
#include <dojobber/version.h>

#endif  // DOJOBBER_DOJOBBER_H_
