#ifndef DOJOBBER_ERROR_H_
#define DOJOBBER_ERROR_H_

#include <stdexcept>

namespace dojobber {

/// The conventional way for a job to fail: `throw dojobber::Error("why")`.
/// Any exception fails a Check or Run; this one only reads best in traces.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Thrown by the typed argument getters when a keyword argument is missing or
/// does not convert. Its message names the key.
class ArgumentError : public Error {
 public:
  using Error::Error;
};

/// A failure that no retry can mend (a malformed argument, a missing
/// licence): `throw dojobber::Fatal("why")` from a job's constructor, Check
/// or Run fails the job at once. The try ends where it is thrown (no Run
/// after a Check, no recheck after a Run), no further try is made and no
/// retry delay is waited; the report marks the job `"fatal": true`. Being a
/// dojobber::Error, it is caught wherever an Error is.
class Fatal : public Error {
 public:
  using Error::Error;
};

}  // namespace dojobber

#endif  // DOJOBBER_ERROR_H_
