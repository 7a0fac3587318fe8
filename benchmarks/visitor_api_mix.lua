-- The realistic mix of benchmarks/visitor_api.py, for wrk (a load generator written in C, so
-- the measured machine's cores go to the server, not to the client).
--
-- Run with as many connections as threads (-t N -c N): each thread then owns one connection,
-- its requests and responses alternate, and the action ids in an answer belong to the visitor
-- of the request just sent. Each thread plays its own visitors, as browsers would: page views,
-- product views, cart updates, exit intent, and reports of the actions the server answered with
-- (shown, then sometimes clicked or dismissed).

local SHOP_URL = "https://bench.example.com/graphql/"
local VISITORS_PER_THREAD = 200
local PAGES = {
  { "https://bench.example.com/", "home" },
  { "https://bench.example.com/categories/coffee", "category" },
  { "https://bench.example.com/products/beans", "product" },
  { "https://bench.example.com/search?q=mug", nil },
  { "https://bench.example.com/cart", nil },
  { "https://bench.example.com/checkout", nil },
  { "https://bench.example.com/contact", nil },
  { "https://bench.example.com/faq", "faq" },
}
local LOCALES = { "en-US", "es-ES", "de-DE" }
local HEADERS = { ["Content-Type"] = "text/plain;charset=UTF-8" }

local next_thread = 1

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

local visitors = {}
local current = nil

function init(args)
  math.randomseed(thread_number * 7919)
  for n = 1, VISITORS_PER_THREAD do
    local checkout = nil
    if n % 3 ~= 0 then
      checkout = "Q2hlY2tvdXQ6" .. math.random(0, 499)
    end
    visitors[n] = { id = "v_" .. thread_number .. "_" .. n, checkout = checkout, pending = {} }
  end
end

local function action_events(visitor, ts)
  local action_id = table.remove(visitor.pending)
  local events = { string.format('{"type":"action_shown","actionId":"%s","ts":%d}', action_id, ts) }
  local roll = math.random()
  if roll < 0.2 then
    events[2] = string.format('{"type":"action_clicked","actionId":"%s","ts":%d}', action_id, ts)
  elseif roll < 0.5 then
    events[2] = string.format('{"type":"action_dismissed","actionId":"%s","ts":%d}', action_id, ts)
  end
  return events
end

local function browsing_events(ts)
  local page = PAGES[math.random(#PAGES)]
  local page_view = string.format('{"type":"page_view","url":"%s","ts":%d', page[1], ts - 5)
  if page[2] then
    page_view = page_view .. string.format(',"pageType":"%s"', page[2])
  end
  page_view = page_view .. "}"
  local roll = math.random()
  if roll < 0.50 then
    return { page_view }
  elseif roll < 0.75 then
    local product = "UHJvZHVjdDo" .. math.random(0, 199)
    return { page_view, string.format('{"type":"product_view","productId":"%s","ts":%d}', product, ts) }
  elseif roll < 0.92 then
    return { string.format('{"type":"cart_updated","ts":%d}', ts) }
  end
  return { string.format('{"type":"exit_intent","ts":%d}', ts) }
end

function request()
  current = visitors[math.random(#visitors)]
  local ts = os.time() * 1000
  local events
  if #current.pending > 0 and math.random() < 0.6 then
    events = action_events(current, ts)
  else
    events = browsing_events(ts)
  end
  local checkout = ""
  if current.checkout then
    checkout = string.format(',"checkoutId":"%s"', current.checkout)
  end
  local body = string.format(
    '{"saleorApiUrl":"%s","channel":"default-channel","visitorId":"%s","sessionId":"s_%s",'
      .. '"locale":"%s","device":"desktop"%s,"events":[%s]}',
    SHOP_URL, current.id, current.id, LOCALES[math.random(#LOCALES)], checkout,
    table.concat(events, ",")
  )
  return wrk.format("POST", "/storefront/v1/events", HEADERS, body)
end

function response(status, headers, body)
  if status ~= 200 or current == nil then
    return
  end
  -- Action ids are the only "id" keys of an answer: {"actions":[{"id":"...", ...}], ...}
  for action_id in string.gmatch(body, '"id":"([^"]+)"') do
    table.insert(current.pending, action_id)
  end
end

function done(summary, latency, requests)
  io.write(string.format(
    "WRK %d %.3f %.3f %.3f %d %d %d %d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency.max / 1000
  ))
end
