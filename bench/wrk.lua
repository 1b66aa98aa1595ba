-- wrk script for bench/load.py: requests the paths given after "--" in turn, and stops
-- each thread after WRK_REQUESTS requests (0: no limit), so a run is bounded in time
-- (wrk -d) and in requests. It counts the answers by their X-Cache header (hit, miss,
-- anything else; none when there is no such header) and prints the counts at the end,
-- as "X-Cache: 5 hit, 2 miss" (nothing when no answer had the header).
local paths = {}
local limit = tonumber(os.getenv("WRK_REQUESTS") or "0")
local sent = 0
-- Per thread, global so that done() can read them from each thread.
x_cache = {}

local threads = {}

function setup(thread)
    threads[#threads + 1] = thread
end

function init(args)
    for _, p in ipairs(args) do
        paths[#paths + 1] = p
    end
    if #paths == 0 then
        paths[1] = wrk.path
    end
end

function request()
    sent = sent + 1
    return wrk.format(nil, paths[(sent - 1) % #paths + 1])
end

function response(status, headers, body)
    local value = headers["X-Cache"] or headers["x-cache"]
    if value then
        value = string.lower(value):match("^%s*([%w-]+)") or "other"
        x_cache[value] = (x_cache[value] or 0) + 1
    end
    if limit > 0 and sent >= limit then
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local totals, names = {}, {}
    for _, thread in ipairs(threads) do
        for value, count in pairs(thread:get("x_cache") or {}) do
            if not totals[value] then
                names[#names + 1] = value
                totals[value] = 0
            end
            totals[value] = totals[value] + count
        end
    end
    if #names > 0 then
        table.sort(names)
        local parts = {}
        for _, value in ipairs(names) do
            parts[#parts + 1] = totals[value] .. " " .. value
        end
        io.write("X-Cache: " .. table.concat(parts, ", ") .. "\n")
    end
end
