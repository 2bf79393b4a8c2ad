#ifndef DOJOBBER_CORE_PARAM_LIST_H_
#define DOJOBBER_CORE_PARAM_LIST_H_

#include <cstdint>
#include <ostream>
#include <string_view>

#include "core/params.h"

namespace dojobber::core {

/// Writes the parameters that registry source `source` declared, as
/// `dojobber params` shows them: a header, then one row per parameter in
/// declaration order with its name, type (`list ","` with the separator),
/// default (quoted, as `"8080"` or `""`, so that a default such as `-` or
/// `required` is not read as `required` or `-` for none), allowed
/// values (quoted, or `-` for any) and help, in aligned columns. A source
/// that declared nothing gets one line: "`plugin` declares no parameters
/// (any --arg key is accepted)". Text from the plugin is escaped as
/// Printable does.
void WriteParamList(std::ostream& out, const ParamSet& params, std::uint32_t source,
                    std::string_view plugin);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PARAM_LIST_H_
