-- wrk script: POST /api/v1/assign for random users (about a million distinct ones, so most are first exposures)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SPLITRANK_ADMIN_KEY")
math.randomseed(os.time())
request = function()
  local body = string.format('{"attributes": {"userId": "u%d", "country": "DE", "appVersion": "5.2.0"}}',
    math.random(1, 1000000))
  return wrk.format(nil, nil, nil, body)
end
