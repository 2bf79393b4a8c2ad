#include "core/param_list.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "core/text_format.h"

namespace dojobber::core {
namespace {

// A cell wider than this does not widen its column: one long default or
// name pushes only its own row to the right.
constexpr std::size_t kMaxWidth = 32;

std::string TypeText(const Param& param) {
  std::string text = ParamTypeName(param.type());
  if (param.type() == ParamType::kList) text += " \"" + param.separator() + '"';
  return text;
}

std::string DefaultText(const Param& param) {
  if (param.required()) return "required";
  if (!param.default_value()) return "-";
  return '"' + *param.default_value() + '"';
}

std::string AllowedText(const Param& param) {
  if (param.allowed().empty()) return "-";
  std::string text;
  for (const std::string& value : param.allowed()) {
    text += (text.empty() ? "\"" : ", \"") + value + '"';
  }
  return text;
}

}  // namespace

void WriteParamList(std::ostream& out, const ParamSet& params, std::uint32_t source,
                    std::string_view plugin) {
  using Row = std::array<std::string, 5>;
  std::vector<Row> rows = {{"NAME", "TYPE", "DEFAULT", "ALLOWED", "HELP"}};
  for (const DeclaredParam& declared : params.all()) {
    if (declared.source != source) continue;
    const Param& param = declared.param;
    rows.push_back(
        {param.name(), TypeText(param), DefaultText(param), AllowedText(param), param.help()});
  }
  if (rows.size() == 1) {
    out << Printable(plugin) << " declares no parameters (any --arg key is accepted)\n";
    return;
  }
  std::array<std::size_t, 4> widths{};
  for (const Row& row : rows) {
    for (std::size_t column = 0; column < widths.size(); ++column) {
      const std::size_t width = DisplayWidth(row[column]);
      if (width <= kMaxWidth) widths[column] = std::max(widths[column], width);
    }
  }
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t column = 0; column < widths.size(); ++column) {
      line += PadToWidth(row[column], widths[column]) + "  ";
    }
    line += Printable(row[4]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
}

}  // namespace dojobber::core
