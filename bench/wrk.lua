-- wrk script for bench/load.py: requests the paths given after "--" in turn, and stops
-- each thread after WRK_REQUESTS requests (0: no limit), so a run is bounded in time
-- (wrk -d) and in requests.
local paths = {}
local limit = tonumber(os.getenv("WRK_REQUESTS") or "0")
local sent = 0

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
    if limit > 0 and sent >= limit then
        wrk.thread:stop()
    end
end
