-- wrk script of bench_platform.py: exactly WRK_TASKS POSTs from one wrk thread (-t1, any
-- number of connections), then stop; JSON figures on the last line of the output (a line
-- starting "WRK_JSON ").
--
-- wrk 4.1 has no request count, only a duration, and wrk.thread:stop() stops the thread's
-- event loop but not wrk, whose main thread sleeps out the whole -d. So:
-- - once WRK_TASKS requests are sent, request() answers an empty one (wrk writes 0 bytes
--   and that connection stays idle): stopping on the count of responses alone would leave
--   a request per other connection in flight, i.e. more submits than --tasks;
-- - the response that completes the count stops the thread and sends wrk SIGINT (what
--   Ctrl-C does: wrk stops sleeping, joins its thread and reports), through LuaJIT's FFI
--   (os.execute would not do: system() ignores SIGINT while its shell runs).
-- Every status other than WRK_STATUS is counted (wrk's own "Non-2xx or 3xx" counts only
-- statuses above 399), and the task ids of the answers are collected when WRK_IDS=1.

local ffi = require("ffi")
ffi.cdef("int kill(int pid, int sig); int getpid(void);")
local SIGINT = 2

local total = tonumber(os.getenv("WRK_TASKS"))
local expected = tonumber(os.getenv("WRK_STATUS") or "202")
local keep_ids = os.getenv("WRK_IDS") == "1"
local threads = {}

wrk.method = "POST"

function setup(thread)
    table.insert(threads, thread)
    if #threads > 1 then
        error("wrk_submits.lua counts requests in one thread: run wrk with -t1")
    end
    -- wrk calls request() once before the run, to check what it returns
    -- (script_verify_request): that call sends nothing.
    thread:set("sent", -1)
end

function init(args)
    received = 0
    unexpected = 0
    first_unexpected = ""
    ids = {}
    post = wrk.format()
end

function request()
    if sent == total then
        return ""
    end
    sent = sent + 1
    return post
end

function response(status, headers, body)
    received = received + 1
    if status ~= expected then
        unexpected = unexpected + 1
        if first_unexpected == "" then
            -- Kept JSON-safe: letters, digits, spaces and a little punctuation.
            first_unexpected = string.gsub(status .. " " .. string.sub(body or "", 1, 200),
                                           "[^%w .,:_-]", "?")
        end
    elseif keep_ids then
        table.insert(ids, string.match(body, '"task_id"%s*:%s*"([^"]+)"'))
    end
    if received == total then
        wrk.thread:stop()
        ffi.C.kill(ffi.C.getpid(), SIGINT)
    end
end

function done(summary, latency, requests)
    -- latency:percentile() is exact over every response (wrk keeps a histogram in µs).
    local thread = threads[1]
    local quoted = {}
    for _, id in ipairs(thread:get("ids")) do
        table.insert(quoted, '"' .. id .. '"')
    end
    local errors = summary.errors
    io.write(string.format(
        'WRK_JSON {"sent": %d, "answered": %d, "unexpected": %d, "first_unexpected": "%s", '
        .. '"socket_errors": %d, "seconds": %.6f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, '
        .. '"ids": [%s]}\n',
        thread:get("sent"), thread:get("received"), thread:get("unexpected"),
        thread:get("first_unexpected"), errors.connect + errors.read + errors.write + errors.timeout,
        summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, table.concat(quoted, ", ")))
end
