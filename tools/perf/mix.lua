-- wrk script for the distinct-pages run: wrk's two threads walk a list of paths (the
-- file named after --), each from its own end of the interleave, so that no path is
-- asked twice before every path has been asked once: every request is a first render.
-- Each thread counts the pages that say a facet timed out; done() reaches them through
-- the threads setup() kept, since wrk gives done() no other way to see thread state.
local threads, all = 0, {}
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
  table.insert(all, thread)
end
function init(args)
  paths, n, facet_timeouts = {}, 0, 0
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
function request()
  local path = paths[((n * 2 + id) % #paths) + 1]
  n = n + 1
  return wrk.format("GET", path)
end
function response(status, headers, body)
  if body and body:find("These facets timed out", 1, true) then
    facet_timeouts = facet_timeouts + 1
  end
end
function done()
  local total = 0
  for _, t in ipairs(all) do total = total + t:get("facet_timeouts") end
  io.write("facet timeouts: " .. total .. "\n")
end
