// LinkPage: what a browser opening a public link (http://host/l/{link}#KEY) is shown.
// The key after '#' never reaches the server, and no web app that opens links is built
// yet, so the page says how to open the link with the CLI. It echoes nothing of the
// request (no link id, no path): nothing a link's maker writes can reach the page.
#pragma once

#include "libs/http/response.h"

namespace bitcontent::gateway {

// 200, text/html, with a Content-Security-Policy that allows nothing to load or run.
http::Response LinkPage();

}  // namespace bitcontent::gateway
