-- wrk script for bench/load.py: requests the paths given after "--" in turn, and stops
-- each thread after WRK_REQUESTS requests (0: no limit), so a run is bounded in time
-- (wrk -d) and in requests. A path written "@/path" is sent with the Cookie header
-- WRK_COOKIE (a member's session) besides the headers given with -H.
local paths = {}
local limit = tonumber(os.getenv("WRK_REQUESTS") or "0")
local cookie = os.getenv("WRK_COOKIE") or ""
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
    local path = paths[(sent - 1) % #paths + 1]
    if path:sub(1, 1) ~= "@" then
        return wrk.format(nil, path)
    end
    local headers = {}
    for name, value in pairs(wrk.headers) do
        headers[name] = value
    end
    headers["Cookie"] = cookie
    return wrk.format(nil, path:sub(2), headers)
end

function response(status, headers, body)
    if limit > 0 and sent >= limit then
        wrk.thread:stop()
    end
end
