#include "core/params.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "core/near_miss.h"
#include "core/text_format.h"

namespace dojobber::core {
namespace {

std::string Quoted(std::string_view text) { return '"' + std::string(text) + '"'; }

// What a single value (a list's item: any text) should have been, or null.
const char* ConversionProblem(ParamType type, std::string_view value) {
  std::int64_t integer = 0;
  double number = 0;
  bool flag = false;
  switch (type) {
    case ParamType::kInt:
      return internal::ParseInt(value, integer);
    case ParamType::kDouble:
      return internal::ParseDouble(value, number);
    case ParamType::kBool:
      return internal::ParseBool(value, flag);
    case ParamType::kString:
    case ParamType::kList:
      return nullptr;
  }
  return nullptr;
}

// Whether two texts that convert to `type` are the same value: `+3` is `3`,
// `yes` is `true`. A list's items and strings compare as text.
bool SameValue(ParamType type, std::string_view a, std::string_view b) {
  switch (type) {
    case ParamType::kInt: {
      std::int64_t x = 0;
      std::int64_t y = 0;
      return !internal::ParseInt(a, x) && !internal::ParseInt(b, y) && x == y;
    }
    case ParamType::kDouble: {
      double x = 0;
      double y = 0;
      return !internal::ParseDouble(a, x) && !internal::ParseDouble(b, y) && x == y;
    }
    case ParamType::kBool: {
      bool x = false;
      bool y = false;
      return !internal::ParseBool(a, x) && !internal::ParseBool(b, y) && x == y;
    }
    case ParamType::kString:
    case ParamType::kList:
      return a == b;
  }
  return a == b;
}

// `"item" is not one of "a", "b"`, with a near miss if there is one; "" when
// `item` is allowed (or anything is).
std::string AllowedProblem(const Param& param, std::string_view item) {
  const std::vector<std::string>& allowed = param.allowed();
  if (allowed.empty()) return "";
  for (const std::string& value : allowed) {
    if (SameValue(param.type(), item, value)) return "";
  }
  std::string problem = Quoted(item) + " is not one of ";
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    problem += (i > 0 ? ", " : "") + Quoted(allowed[i]);
  }
  if (std::optional<std::string> near = NearMiss(item, allowed)) {
    problem += " (did you mean " + Quoted(*near) + "?)";
  }
  return problem;
}

// The first property in which two declarations of one name differ, or "".
std::string Difference(const Param& a, const Param& b) {
  if (a.type() != b.type()) {
    return std::string("different types (") + ParamTypeName(a.type()) + ", " +
           ParamTypeName(b.type()) + ")";
  }
  if (a.separator() != b.separator()) return "different separators";
  if (a.required() != b.required() ||
      a.default_value().has_value() != b.default_value().has_value() ||
      (a.default_value() && !SameValue(a.type(), *a.default_value(), *b.default_value()))) {
    return "different defaults";
  }
  const auto same = [&](const std::string& x, const std::string& y) {
    return SameValue(a.type(), x, y);
  };
  if (!std::is_permutation(a.allowed().begin(), a.allowed().end(), b.allowed().begin(),
                           b.allowed().end(), same)) {
    return "different allowed values";
  }
  return "";
}

}  // namespace

std::string DeclarationProblem(const Param& param) {
  const std::string& name = param.name();
  if (name.empty()) return "the name is empty";
  if (name.find('=') != std::string::npos) return "the name has '='";
  if (HasControlCharacter(name)) return "the name has a control character";
  if (param.type() == ParamType::kList && param.separator().empty())
    return "the separator is empty";
  if (param.required() && param.default_value()) return "it is Required() and has a default";
  for (const std::string& value : param.allowed()) {
    if (const char* expected = ConversionProblem(param.type(), value)) {
      return "its allowed value " + Quoted(value) + " is not " + expected;
    }
  }
  if (param.default_value()) {
    const std::string problem = ValueProblem(param, *param.default_value());
    if (!problem.empty()) return "its default " + problem;
  }
  return "";
}

std::string ValueProblem(const Param& param, std::string_view value) {
  if (param.type() == ParamType::kList) {
    for (const std::string& item : internal::SplitList(value, param.separator())) {
      std::string problem = AllowedProblem(param, item);
      if (!problem.empty()) return "item " + problem;
    }
    return "";
  }
  if (const char* expected = ConversionProblem(param.type(), value)) {
    return Quoted(value) + " is not " + expected;
  }
  return AllowedProblem(param, value);
}

Status ParamSet::Add(Param param, std::uint32_t source, std::span<const std::string> sources) {
  const std::string shown = "parameter '" + Printable(param.name()) + "'";
  if (const std::string problem = DeclarationProblem(param); !problem.empty()) {
    return Failure{shown + " declared by " + sources[source] + ": " + problem};
  }
  std::vector<std::size_t>& same_name = by_name_[param.name()];
  for (const std::size_t index : same_name) {
    const DeclaredParam& earlier = params_[index];
    if (earlier.source == source) return Failure{shown + " declared twice by " + sources[source]};
    if (const std::string difference = Difference(earlier.param, param); !difference.empty()) {
      return Failure{shown + " declared by " + sources[earlier.source] + " and by " +
                     sources[source] + " with " + difference};
    }
  }
  same_name.push_back(params_.size());
  params_.push_back({std::move(param), source});
  return {};
}

const Param* ParamSet::Find(std::string_view name) const {
  auto found = by_name_.find(name);
  return found == by_name_.end() ? nullptr : &params_[found->second.front()].param;
}

bool ParamSet::Declares(std::uint32_t source) const {
  return std::any_of(params_.begin(), params_.end(),
                     [&](const DeclaredParam& declared) { return declared.source == source; });
}

Status ParamSet::Check(const Arguments::Keywords& keywords, bool check_keys, bool require) const {
  if (check_keys) {
    std::vector<std::string> names;
    for (const DeclaredParam& declared : params_) names.push_back(declared.param.name());
    for (const auto& [key, value] : keywords) {
      if (Find(key) != nullptr) continue;
      std::string message = "argument '" + key + "' is not declared by any loaded plugin";
      if (std::optional<std::string> near = NearMiss(key, names)) {
        message += " (did you mean '" + *near + "'?)";
      } else {
        message += " (dojobber params lists the parameters)";
      }
      return Failure{std::move(message)};
    }
  }
  for (const DeclaredParam& declared : params_) {
    const Param& param = declared.param;
    auto value = keywords.find(param.name());
    if (value != keywords.end()) {
      if (std::string problem = ValueProblem(param, value->second); !problem.empty()) {
        return Failure{"argument '" + param.name() + "': " + problem};
      }
    } else if (require && param.required()) {
      std::string message =
          "argument '" + param.name() + "' is required (--arg " + param.name() + "=VALUE)";
      if (!param.help().empty()) message += ": " + param.help();
      return Failure{std::move(message)};
    }
  }
  return {};
}

}  // namespace dojobber::core
