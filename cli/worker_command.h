#ifndef DOJOBBER_CLI_WORKER_COMMAND_H_
#define DOJOBBER_CLI_WORKER_COMMAND_H_

namespace dojobber::cli {

/// `dojobber worker --plugin P... [--arg K=V...] [-- WORDS...]`: the entry
/// point that makes one try or cleanup for an orchestrator on another
/// machine (a Slurm job step). Not for people: it speaks the protocol of
/// docs/protocol.md on its stdin and stdout, and the job's own stdout and
/// stderr both go to its stderr. Loads the plugins with the run's
/// arguments, as the orchestrator did, then serves one start message.
/// Dispatched by main() before stop signals are caught, so a signal from
/// the cluster ends it as it would any program.
int RunWorkerCommand(int argc, char** argv);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_WORKER_COMMAND_H_
