#ifndef DOJOBBER_CORE_PARAMS_H_
#define DOJOBBER_CORE_PARAMS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <dojobber/arguments.h>
#include <dojobber/params.h>

#include "core/expected.h"

namespace dojobber::core {

/// One declared parameter and the registry source (plugin) that declared it.
struct DeclaredParam {
  Param param;
  std::uint32_t source = 0;
};

/// What makes `param` unfit as a declaration, as a clause, or "": the name
/// is empty or has `=` or a control character (no `--arg` could give it),
/// the list separator is empty, it is Required() and has a default, or a
/// default or allowed value does not convert to the type
/// (`its default "x" is not an integer`), or the default is not allowed.
std::string DeclarationProblem(const Param& param);

/// What is wrong with `value` as a value of `param`, or "": it does not
/// convert (`"abc" is not an integer`) or is not allowed (`"slo" is not one
/// of "fast", "slow" (did you mean "slow"?)`); for a list, the first item
/// not allowed.
std::string ValueProblem(const Param& param, std::string_view value);

/// The parameters declared by the plugins of one run, in declaration order.
class ParamSet {
 public:
  /// Adds the declaration `param` of source `source`; `sources` names every
  /// source, for the message. Fails, naming the parameter and the
  /// source(s), on a malformed declaration (DeclarationProblem), a name the
  /// source declared before, or a name another source declared with another
  /// type, separator, default, required flag or allowed values (the help
  /// text may differ). A failed declaration is not added.
  Status Add(Param param, std::uint32_t source, std::span<const std::string> sources);

  /// The first declaration of `name`, or null.
  const Param* Find(std::string_view name) const;
  /// Every declaration, in order; a name two sources declare is there twice.
  const std::vector<DeclaredParam>& all() const { return params_; }
  /// Whether `source` declared at least one parameter.
  bool Declares(std::uint32_t source) const;

  /// Checks keyword arguments against the declarations, in this order: with
  /// `check_keys`, every key must be declared (`argument 'acount' is not
  /// declared by any loaded plugin (did you mean 'account'?)`); every
  /// declared key that has a value must pass ValueProblem; with `require`,
  /// every Required() key must have a value. The first problem is the
  /// failure, one line naming the key.
  Status Check(const Arguments::Keywords& keywords, bool check_keys, bool require) const;

 private:
  std::vector<DeclaredParam> params_;
  // Name -> the indices in params_ of its declarations, so that declaring
  // and looking up stay cheap with thousands of parameters.
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_name_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PARAMS_H_
