#include "services/gateway/link_page.h"

namespace bitcontent::gateway {

http::Response LinkPage() {
  http::Response page;
  page.content_type = "text/html; charset=utf-8";
  page.headers.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  page.headers.Set("X-Content-Type-Options", "nosniff");
  page.headers.Set("Referrer-Policy", "no-referrer");
  page.body = R"(<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A BitContent link</title>
<style>body{font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em;line-height:1.5}
pre{background:#f4f4f4;padding:.8em;overflow-x:auto}</style>
<h1>A BitContent link</h1>
<p>What this link opens is end-to-end encrypted. Its key is the part of the address after
the <code>#</code>, which your browser keeps to itself: this server has never seen it.</p>
<p>To download it, copy the whole address from your browser's address bar, the part after
<code>#</code> included, and run the BitContent command-line client:</p>
<pre>bitcontent get 'ADDRESS' .</pre>
<p>A folder's link lists with <code>bitcontent ls 'ADDRESS'</code>; a link without a
<code>#</code> part is a sale link, which <code>bitcontent buy 'ADDRESS'</code> buys.
Opening links in the browser itself is not built yet.</p>
</html>
)";
  return page;
}

}  // namespace bitcontent::gateway
