#include "export/html_assets.h"

#include <openssl/evp.h>

#include <array>

#include "export/encoding.h"

namespace mailscope::exporter {
namespace {

constexpr std::string_view kStyle = R"CSS(
:root { --smtp:#1f6fb4; --imap:#2a9d3a; --pop3:#8a4fc0; --dns:#e07b00; --other:#555; --tls:#888; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
header, section { padding: 12px 24px; }
header { background: #20344f; color: #fff; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .meta { color: #c8d6ea; margin: 0 0 8px; }
header ul { margin: 4px 0 0 18px; padding: 0; }
h2 { font-size: 17px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
.diagram { overflow-x: auto; background: #fff; border: 1px solid #ddd; }
svg.seq text { font: 12px ui-monospace, monospace; fill: #222; text-anchor: middle; }
svg.seq text.time { text-anchor: start; fill: #777; font-size: 11px; }
svg.seq text.hostname { font-weight: bold; }
svg.seq rect.host { fill: #e8eef7; stroke: #20344f; }
svg.seq line.life { stroke: #aaa; stroke-dasharray: 4 4; }
svg.seq g.msg line { stroke-width: 1.6; }
svg.seq g.msg { cursor: pointer; }
svg.seq g.msg:hover line { stroke-width: 3; }
svg.seq g.enc line { stroke-width: 2.6; }
svg.seq g.smtp line { stroke: var(--smtp); } svg.seq g.smtp text { fill: var(--smtp); }
svg.seq g.imap line { stroke: var(--imap); } svg.seq g.imap text { fill: var(--imap); }
svg.seq g.pop3 line { stroke: var(--pop3); } svg.seq g.pop3 text { fill: var(--pop3); }
svg.seq g.dns line { stroke: var(--dns); } svg.seq g.dns text { fill: var(--dns); }
svg.seq g.other line { stroke: var(--other); }
svg.seq g.tls line { stroke: var(--tls); stroke-dasharray: 5 3; } svg.seq g.tls text { fill: #666; }
svg.seq marker.smtp path { fill: var(--smtp); } svg.seq marker.imap path { fill: var(--imap); }
svg.seq marker.pop3 path { fill: var(--pop3); } svg.seq marker.dns path { fill: var(--dns); }
svg.seq marker.other path { fill: var(--other); } svg.seq marker.tls path { fill: var(--tls); }
svg.seq g.tlsband rect { fill: #fff4c2; stroke: #c9a400; }
svg.seq g.tlsband text { font-size: 11px; fill: #6b5600; cursor: pointer; }
.legend span { display: inline-block; margin-right: 14px; }
.legend b { display: inline-block; width: 22px; height: 4px; vertical-align: middle; margin-right: 4px; }
.tools button { margin-right: 8px; }
.transcript { font: 13px/1.4 ui-monospace, monospace; background: #fff; border: 1px solid #ddd; padding: 8px; }
.session { font-weight: bold; margin: 14px 0 4px; color: #20344f; white-space: pre-wrap; }
.item { margin: 1px 0; }
.item .t { color: #777; display: inline-block; min-width: 7.5em; }
.item .x { white-space: pre-wrap; }
.item summary { cursor: pointer; list-style-position: outside; }
.item.hl { background: #fff2a8; }
.item.dns .x { color: #8a4a00; }
.item.tlsmarker .x { color: #6b5600; font-weight: bold; }
.item.mail .x { color: #00606b; }
.item.action .x { color: #7b2d8b; }
.item.narration .x { color: #444; font-style: italic; font-family: system-ui, sans-serif; }
.item.lower .x { color: #555; }
.layers { margin: 4px 0 8px 7.5em; padding: 6px 8px; background: #f4f6f9; border-left: 3px solid #9bb; }
.layers table { border-collapse: collapse; }
.layers td { padding: 0 8px 0 0; vertical-align: top; white-space: pre-wrap; }
.layers td.lay { font-weight: bold; }
.layers tr.drop td { color: #b00020; }
.fields { margin-top: 6px; }
.fields h4 { margin: 6px 0 2px; font-size: 12px; }
.fields div { white-space: pre-wrap; }
.fields .d0 { font-weight: bold; } .fields .d1 { padding-left: 1.5em; }
.fields .d2 { padding-left: 3em; } .fields .d3 { padding-left: 4.5em; }
.note, .empty { color: #777; font-style: italic; }
)CSS";

// Reads no data from the page text: it only opens the entry an arrow names (ids are numbers the
// report wrote) and toggles <details>. The last statement tells tests the page loaded.
constexpr std::string_view kScript = R"JS(
(function () {
  var current = null;
  function show(id) {
    var entry = document.getElementById(id);
    if (!entry) { return; }
    var details = entry.querySelector('details');
    if (details) { details.open = true; }
    if (current) { current.classList.remove('hl'); }
    entry.classList.add('hl');
    current = entry;
    entry.scrollIntoView({ block: 'center' });
  }
  var targets = document.querySelectorAll('[data-target]');
  for (var i = 0; i < targets.length; i++) {
    (function (el) {
      el.addEventListener('click', function () { show(el.getAttribute('data-target')); });
      el.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter') { show(el.getAttribute('data-target')); }
      });
    })(targets[i]);
  }
  function all(open) {
    var list = document.querySelectorAll('.transcript details');
    for (var j = 0; j < list.length; j++) { list[j].open = open; }
  }
  var expand = document.getElementById('expand-all');
  var collapse = document.getElementById('collapse-all');
  if (expand) { expand.addEventListener('click', function () { all(true); }); }
  if (collapse) { collapse.addEventListener('click', function () { all(false); }); }
  document.body.dataset.ready = "1";
})();
)JS";

std::string script_hash() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(kScript.data(), kScript.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string out;
  append_base64(out, wire::ByteView(digest.data(), length));
  return out;
}

}  // namespace

std::string_view report_style() {
  return kStyle;
}

std::string_view report_script() {
  return kScript;
}

std::string report_content_security_policy() {
  return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-" +
         script_hash() + "'; base-uri 'none'; form-action 'none'";
}

}  // namespace mailscope::exporter
