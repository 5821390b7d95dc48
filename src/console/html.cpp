#include "console/html.hpp"

namespace cozeauth::console {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Page(std::string_view title, std::string_view body_html) {
  std::string out =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"referrer\" content=\"no-referrer\"><title>";
  out += Escape(title);
  out +=
      " · cozeauth</title><style>"
      "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;color:#1f2329}"
      "main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:12px;"
      "padding:2rem 2.2rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}"
      "h1{font-size:1.35rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .3rem}"
      "input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;"
      "padding:.55rem;border:1px solid #c9cdd4;border-radius:6px;font-size:1rem}"
      "button{padding:.55rem 1.3rem;border-radius:6px;border:1px solid #4d53e8;font-size:1rem;"
      "margin:1.2rem .6rem 0 0;cursor:pointer}.primary{background:#4d53e8;color:#fff}"
      ".secondary{background:#fff;color:#4d53e8}.error{color:#c9302c}.muted{color:#6b7280}"
      "table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{text-align:left;"
      "padding:.3rem .4rem;border-bottom:1px solid #eceef1;font-size:.92rem}"
      "fieldset{border:1px solid #eceef1;border-radius:8px;margin-top:1rem}"
      "</style></head><body><main>";
  out += body_html;
  out += "</main></body></html>";
  return out;
}

std::string ErrorPage(std::string_view title, std::string_view message) {
  return Page(title, "<h1>" + Escape(title) + "</h1><p class=\"error\" id=\"error\">" +
                         Escape(message) + "</p>");
}

}  // namespace cozeauth::console
