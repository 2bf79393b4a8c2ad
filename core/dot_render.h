#ifndef DOJOBBER_CORE_DOT_RENDER_H_
#define DOJOBBER_CORE_DOT_RENDER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/expected.h"

namespace dojobber::core {

/// The formats RenderDot() draws.
enum class RenderFormat { kSvg, kPng, kPdf };

/// "svg", "png", "pdf": Graphviz's name of the format.
const char* RenderFormatName(RenderFormat format);

/// The largest graph RenderDot() lays out: nodes, and edges. Graphviz's dot
/// layout grows much faster than the graph (on one core: seconds at a
/// thousand nodes with three edges each, a minute at two thousand or at ten
/// edges each, hours at 100,000 nodes), and a picture of more boxes than
/// this is unreadable anyway. DOT text needs no layout and has no limit.
inline constexpr std::size_t kMaxRenderedNodes = 1000;
inline constexpr std::size_t kMaxRenderedEdges = 3000;

/// Whether a graph of this size is within the limits above; if not, the
/// reason, on one line, naming both sizes and both limits.
Status CheckRenderedSize(std::size_t nodes, std::size_t edges);

/// Lays `dot` (Graphviz DOT text) out with Graphviz's dot layout, in this
/// process through Graphviz's library (cgraph and gvc, no `dot` program), and
/// draws it as `format`. Returns the file's bytes: an SVG document, a PNG
/// image or a PDF document.
///
/// Fails, with one line and without printing anything, when the text is not
/// DOT (Graphviz's own message, on one line), is beyond the size limits
/// (checked after parsing, before any layout), or when Graphviz cannot draw
/// the format (its plugin is missing). Graphviz's warnings are dropped.
///
/// Graphviz keeps global state (its error handler, and one context for the
/// process, made on the first call and kept to the end: freeing a context
/// leaves the text layout plugin with freed memory): calls from several
/// threads are serialized, one at a time.
Expected<std::string> RenderDot(std::string_view dot, RenderFormat format);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_DOT_RENDER_H_
