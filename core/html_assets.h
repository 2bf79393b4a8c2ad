#ifndef DOJOBBER_CORE_HTML_ASSETS_H_
#define DOJOBBER_CORE_HTML_ASSETS_H_

#include <string_view>

namespace dojobber::core::html_assets {

// The HTML report's page, style and script: core/html/report.{html,css,js},
// embedded at build time (cmake/embed_files.cmake writes their definitions).
extern const std::string_view kReportHtml;
extern const std::string_view kReportCss;
extern const std::string_view kReportJs;

}  // namespace dojobber::core::html_assets

#endif  // DOJOBBER_CORE_HTML_ASSETS_H_
