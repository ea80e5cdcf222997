-- wrk's script for bench/purchase_bench.cc: buyers buying paywall resources through the
-- gateway, each pair of buyer and resource once, so that every purchase moves money.
--
-- Arguments (after wrk's --): the data file, the flow, wrk's thread count and the price
-- in msat. The data file has a line "B <access token> <user id>" per buyer, then a line
-- "R <resource name>" per resource of this run's slice. Each wrk thread takes every
-- n-th buyer (as many as it has connections) and sends each request for the next buyer
-- with no call in flight, as a buyer on a page would; each buyer buys the slice in order.
--
-- Flows:
--   direct  POST /v1/purchases {subject, maxAmountMsat} with an Idempotency-Key: one call.
--   quoted  POST /v1/quotes {subject}, then POST /v1/purchases {quoteToken} by the same
--           buyer; a thread sends a queued quote's payment before asking a new quote.
--
-- Every answer must be 200 (wrk reports any other); each purchase must charge the price.
-- done() prints "purchases <bought> wrong <wrong> exhausted <n> p50_ms <ms>" for the C++
-- side.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local buyers, resources, by_user, quotes = {}, {}, {}, {}
local flow, price, charged
local turn = 0
bought, wrong, exhausted = 0, 0, 0

function init(args)
  flow, price = args[2], args[4]
  charged = '"amountMsat":"' .. price .. '"'
  local thread_count, index = tonumber(args[3]), 0
  for line in io.lines(args[1]) do
    local kind, first, second = line:match("^(%a) (%S+) ?(%S*)$")
    if kind == "B" then
      if index % thread_count == id then
        local buyer = {auth = "Bearer " .. first, next = 1, busy = false}
        table.insert(buyers, buyer)
        by_user["users/" .. second] = buyer
      end
      index = index + 1
    elseif kind == "R" then
      table.insert(resources, first)
    end
  end
end

local function post(path, buyer, body, key)
  local headers = {["Authorization"] = buyer.auth, ["Content-Type"] = "application/json"}
  if key then headers["Idempotency-Key"] = key end
  return wrk.format("POST", path, headers, body)
end

function request()
  if #quotes > 0 then
    local quote = table.remove(quotes)
    return post("/v1/purchases", quote.buyer, '{"quoteToken":"' .. quote.token .. '"}')
  end
  -- A buyer whose answer never came (a timed-out call) stays busy: after a full turn,
  -- take the next one anyway rather than wait for ever.
  for _ = 1, #buyers do
    turn = turn % #buyers + 1
    if not buyers[turn].busy then break end
  end
  local buyer = buyers[turn]
  buyer.busy = true
  if buyer.next > #resources then
    -- Out of resources: buy the first again (an idempotent replay) and say so.
    exhausted = exhausted + 1
    buyer.next = 1
  end
  local subject = resources[buyer.next]
  buyer.next = buyer.next + 1
  if flow == "quoted" then
    return post("/v1/quotes", buyer, '{"subject":"' .. subject .. '"}')
  end
  return post("/v1/purchases", buyer,
              '{"subject":"' .. subject .. '","maxAmountMsat":"' .. price .. '"}',
              "buy-" .. subject)
end

function response(status, headers, body)
  if status ~= 200 then return end  -- counted by wrk
  local buyer = by_user[body:match('"buyer":"([^"]+)"')]
  local token = body:match('"quoteToken":"([^"]+)"')
  if token then
    table.insert(quotes, {token = token, buyer = buyer})
    return
  end
  if buyer then buyer.busy = false end
  if body:find(charged, 1, true) then
    bought = bought + 1
  else
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local totals = {bought = 0, wrong = 0, exhausted = 0}
  for _, thread in ipairs(threads) do
    for name in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  io.write(string.format("purchases %d wrong %d exhausted %d p50_ms %.3f\n", totals.bought,
                         totals.wrong, totals.exhausted, latency:percentile(50) / 1000))
end
