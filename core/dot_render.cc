#include "core/dot_render.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <memory>
#include <mutex>

#include "core/text_format.h"

namespace dojobber::core {
namespace {

// Graphviz's state is global: its error handler, its error count, the
// parser's, and the context below. One call at a time.
std::mutex& GraphvizMutex() {
  static std::mutex* mutex = new std::mutex();
  return *mutex;
}

// What Graphviz reported during the call in progress (under the mutex).
std::string& Reported() {
  static std::string* reported = new std::string();
  return *reported;
}

// Graphviz's error handler: it gets each message in pieces ("Error", ": ",
// then the text), which are kept here instead of going to stderr.
int Collect(char* text) {
  try {
    Reported() += text;
  } catch (...) {
    // A message lost to a failed allocation: better than an exception
    // through Graphviz's C frames.
  }
  return 0;
}

// The first error Graphviz reported, on one line; `otherwise` if it
// reported none.
std::string FirstError(std::string_view otherwise) {
  std::string_view reported = Reported();
  constexpr std::string_view kError = "Error: ";
  const std::size_t start = reported.find(kError);
  if (start == std::string_view::npos) return std::string(otherwise);
  std::string_view line = reported.substr(start + kError.size());
  line = line.substr(0, line.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  return "Graphviz: " + Printable(line);
}

// Made on the first call and never freed: in Graphviz 2.42, freeing a
// context and making another leaves the text layout plugin (pango) reading
// a font name that was freed with the first. The plugins are found through
// the installed configuration (config6a in Graphviz's plugin folder).
GVC_t* Context() {
  static GVC_t* context = gvContext();
  return context;
}

struct GraphCloser {
  void operator()(Agraph_t* graph) const { agclose(graph); }
};

}  // namespace

const char* RenderFormatName(RenderFormat format) {
  switch (format) {
    case RenderFormat::kSvg:
      return "svg";
    case RenderFormat::kPng:
      return "png";
    case RenderFormat::kPdf:
      return "pdf";
  }
  return "svg";
}

Status CheckRenderedSize(std::size_t nodes, std::size_t edges) {
  if (nodes <= kMaxRenderedNodes && edges <= kMaxRenderedEdges) return {};
  return Failure{"the graph has " + std::to_string(nodes) + " nodes and " + std::to_string(edges) +
                 " edges; svg, png and pdf are drawn for at most " +
                 std::to_string(kMaxRenderedNodes) + " nodes and " +
                 std::to_string(kMaxRenderedEdges) +
                 " edges, as the layout takes minutes to hours beyond that (write .dot, which "
                 "has no limit)"};
}

Expected<std::string> RenderDot(std::string_view dot, RenderFormat format) {
  // Graphviz reads up to the first NUL.
  if (dot.find('\0') != std::string_view::npos) return Failure{"the DOT text holds a NUL byte"};
  // Without what follows the graph: Graphviz's scanner reads a character
  // ahead, and counts a newline it read after a graph's `}` as the first
  // line of the next text, whose errors then name the wrong line.
  const std::string text(dot.substr(0, dot.find_last_not_of(" \t\r\n") + 1));

  const std::lock_guard lock(GraphvizMutex());
  Reported().clear();
  const agusererrf previous = agseterrf(Collect);
  struct RestoreHandler {
    agusererrf previous;
    ~RestoreHandler() { agseterrf(previous); }
  } restore{previous};
  agreseterrors();

  GVC_t* context = Context();
  if (context == nullptr) return Failure{FirstError("Graphviz: cannot make a context")};
  agreadline(1);  // The parser counts lines on from the last text it read.
  const std::unique_ptr<Agraph_t, GraphCloser> graph(agmemread(text.c_str()));
  if (!graph || agerrors() >= AGERR) return Failure{FirstError("Graphviz: not a graph")};
  if (Status size = CheckRenderedSize(static_cast<std::size_t>(agnnodes(graph.get())),
                                      static_cast<std::size_t>(agnedges(graph.get())));
      !size) {
    return size.failure();
  }

  if (gvLayout(context, graph.get(), "dot") != 0 || agerrors() >= AGERR) {
    gvFreeLayout(context, graph.get());
    return Failure{FirstError("Graphviz: the layout failed")};
  }
  char* data = nullptr;
  unsigned int length = 0;
  const int rendered = gvRenderData(context, graph.get(), RenderFormatName(format), &data, &length);
  Expected<std::string> result =
      rendered == 0 && agerrors() < AGERR
          ? Expected<std::string>(data != nullptr ? std::string(data, length) : std::string())
          : Expected<std::string>(Failure{
                FirstError(std::string("Graphviz: cannot draw ") + RenderFormatName(format))});
  // On failure, gvRenderData may leave `data` pointing anywhere.
  if (rendered == 0) gvFreeRenderData(data);
  gvFreeLayout(context, graph.get());
  return result;
}

}  // namespace dojobber::core
