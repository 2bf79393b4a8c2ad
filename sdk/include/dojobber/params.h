#ifndef DOJOBBER_PARAMS_H_
#define DOJOBBER_PARAMS_H_

#include <array>
#include <charconv>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dojobber {

/// The type of a declared parameter: what its value must convert to, and
/// which Arguments getter reads it.
enum class ParamType {
  kString,  ///< Any text: GetString.
  kInt,     ///< A whole decimal number: GetInt.
  kDouble,  ///< A finite floating point number: GetDouble.
  kBool,    ///< true/false, yes/no, on/off, 1/0: GetBool.
  kList,    ///< Strings cut at a separator: GetList.
};

/// "string", "integer", "number", "boolean" or "list", as `dojobber params`
/// shows them.
inline const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "string";
    case ParamType::kInt:
      return "integer";
    case ParamType::kDouble:
      return "number";
    case ParamType::kBool:
      return "boolean";
    case ParamType::kList:
      return "list";
  }
  return "?";
}

namespace internal {
/// The types of character literals (`'a'`, `L'a'`, `u8'a'`, `u'a'`, `U'a'`).
template <class T>
concept Character = std::same_as<T, char> || std::same_as<T, wchar_t> || std::same_as<T, char8_t> ||
    std::same_as<T, char16_t> || std::same_as<T, char32_t>;
}  // namespace internal

/// The declaration of one keyword argument a plugin takes (`--arg
/// name=value`), passed to Registry::Declare. Made by one of the static
/// functions, then refined by chained calls:
///
///     registry.Declare(dojobber::Param::String("movie")
///                          .Default("Noises Off")
///                          .OneOf({"Noises Off", "MST3K", "Babylon 5"})
///                          .Help("the movie to watch"));
///     registry.Declare(dojobber::Param::Int("port").Default(8080).Help("where to listen"));
///     registry.Declare(dojobber::Param::String("host").Required().Help("the server"));
///     registry.Declare(dojobber::Param::List("users").Default("").Help("one account each"));
///
/// A parameter has a default, is Required(), or has neither (then it has a
/// value only when given: check with Arguments::Has). Every value, default
/// and allowed value is text as written on the command line; the engine
/// checks that each converts to the type when the plugin loads.
class Param {
 public:
  static Param String(std::string name) { return {std::move(name), ParamType::kString}; }
  static Param Int(std::string name) { return {std::move(name), ParamType::kInt}; }
  static Param Double(std::string name) { return {std::move(name), ParamType::kDouble}; }
  static Param Bool(std::string name) { return {std::move(name), ParamType::kBool}; }
  /// A list of strings, cut at `separator` (not empty) as Arguments::GetList
  /// cuts it.
  static Param List(std::string name, std::string separator = ",") {
    Param param(std::move(name), ParamType::kList);
    param.separator_ = std::move(separator);
    return param;
  }

  /// The value used when the key is not given, as text (`"a,b"` for a list).
  Param& Default(std::string_view text) {
    default_ = std::string(text);
    return *this;
  }
  Param& Default(const char* text) { return Default(std::string_view(text)); }
  /// The same from a value: `.Default(3)`, `.Default(0.5)`, `.Default(false)`.
  Param& Default(bool value) { return Default(std::string_view(value ? "true" : "false")); }
  /// A character (the type of a literal such as `','` or `u8'x'`) does not
  /// compile: `.Default(',')` would otherwise be the number 44. Write a
  /// one-character string: `.Default(",")`. (`std::int8_t` and
  /// `std::uint8_t` are numbers here: `.Default(std::uint8_t{5})` is "5".)
  template <internal::Character C>
  Param& Default(C) = delete;
  template <class Number>
  requires((std::integral<Number> && !internal::Character<Number>) ||
           std::floating_point<Number>) Param& Default(Number value) {
    std::array<char, 32> text{};
    auto [end, ec] = std::to_chars(text.data(), text.data() + text.size(), value);
    return Default(std::string_view(text.data(), ec == std::errc() ? end : text.data()));
  }

  /// The key must be given: a run without it is refused before any job runs.
  Param& Required() {
    required_ = true;
    return *this;
  }

  /// The only values accepted (for a list: for each item). Compared as
  /// values of the type: `+3` is `3`, `yes` is `true`.
  Param& OneOf(std::vector<std::string> values) {
    allowed_ = std::move(values);
    return *this;
  }

  /// One line saying what the parameter is for, shown by `dojobber params`.
  Param& Help(std::string text) {
    help_ = std::move(text);
    return *this;
  }

  const std::string& name() const { return name_; }
  ParamType type() const { return type_; }
  /// For a list: what its items are cut at.
  const std::string& separator() const { return separator_; }
  const std::optional<std::string>& default_value() const { return default_; }
  bool required() const { return required_; }
  /// Empty: any value of the type.
  const std::vector<std::string>& allowed() const { return allowed_; }
  const std::string& help() const { return help_; }

 private:
  Param(std::string name, ParamType type) : name_(std::move(name)), type_(type) {}

  std::string name_;
  ParamType type_;
  std::string separator_;
  std::optional<std::string> default_;
  bool required_ = false;
  std::vector<std::string> allowed_;
  std::string help_;
};

}  // namespace dojobber

#endif  // DOJOBBER_PARAMS_H_
