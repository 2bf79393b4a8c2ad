#ifndef DOJOBBER_CLI_TERMINAL_H_
#define DOJOBBER_CLI_TERMINAL_H_

namespace dojobber::cli {

/// Whether descriptor `fd` is a terminal.
bool IsTerminal(int fd);

/// Whether this process is in the foreground of the terminal at `fd`: a run
/// started with `&` is not, and what it draws would land on the shell's
/// prompt (or stop it with SIGTTOU under `stty tostop`).
bool InForeground(int fd);

/// Whether TERM=dumb: a terminal that cannot erase a line.
bool DumbTerminal();

/// Whether the environment asks for plain output on a terminal: NO_COLOR set
/// to anything (no-color.org: an empty value counts as unset), or TERM=dumb.
/// Then the status report has no colour and the progress line is not drawn
/// unless asked for.
bool PlainOutputRequested();

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_TERMINAL_H_
