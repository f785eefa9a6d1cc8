-- wrk script: every request is POST /api/v1/livestream creating one livestream.
-- bench/api/run.sh passes the partner API key, project and media server in the
-- environment (LS_API_KEY, LS_PROJECT_ID, LS_MEDIA_SERVER_ID).

local function required(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    error(name .. " is not set (run this through bench/api/run.sh)")
  end
  return value
end

local api_key = required("LS_API_KEY")
local project_id = required("LS_PROJECT_ID")
local media_server_id = required("LS_MEDIA_SERVER_ID")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["ls-api-key"] = api_key
-- The same body every time: livestream names need not be unique, and a fixed
-- request keeps wrk's own per-request work as small as for the GET runs.
wrk.body = string.format('{"name":"bench-livestream","projectId":"%s","mediaServerId":"%s"}',
                         project_id, media_server_id)
