// The README's example of declared parameters, built and run by the e2e
// tests so that the README shows what really happens.
#include <dojobber/dojobber.h>

#include <cctype>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

// The file `dir`/NAME greets NAME.
class Greet : public dojobber::Job {
 public:
  explicit Greet(std::string name) : name_(std::move(name)) {}
  void Check(dojobber::Context& ctx) override {
    std::ifstream file(ctx.args().GetString("dir") + "/" + name_);
    std::string line;
    if (!std::getline(file, line) || line != Text(ctx.args())) {
      throw dojobber::Error("no greeting for " + name_);
    }
  }
  void Run(dojobber::Context& ctx) override {
    std::filesystem::create_directories(ctx.args().GetString("dir"));
    std::ofstream(ctx.args().GetString("dir") + "/" + name_) << Text(ctx.args()) << '\n';
  }

 private:
  std::string Text(const dojobber::Arguments& args) const {
    std::string text = args.GetString("greeting") + ", " + name_;
    text.append(static_cast<std::size_t>(args.GetInt("excitement")), '!');  // 0 to 3
    if (args.GetBool("shout")) {
      for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
  }
  std::string name_;
};

class Greetings : public dojobber::DummyJob {};

DOJOBBER_PLUGIN(registry) {
  using dojobber::Param;
  registry.Declare(Param::String("dir").Required().Help("the folder the greetings go to"));
  registry.Declare(Param::List("names").Default("world").Help("who to greet, one file each"));
  registry.Declare(Param::String("greeting")
                       .Default("Hello")
                       .OneOf({"Hello", "Hi", "Howdy"})
                       .Help("the word to greet with"));
  registry.Declare(
      Param::Int("excitement").Default(1).OneOf({"0", "1", "2", "3"}).Help("how many '!' end it"));
  registry.Declare(Param::Bool("shout").Default(false).Help("in capitals"));

  std::vector<std::string> greets;
  for (const std::string& name : registry.args().GetList("names")) {
    registry.Add("Greet " + name, [name] { return std::make_unique<Greet>(name); });
    greets.push_back("Greet " + name);
  }
  registry.Add<Greetings>("Greetings").Deps(greets);
}
