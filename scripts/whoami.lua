-- wrk script: the trivial authenticated endpoint, for the baseline of the same app
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SPLITRANK_ADMIN_KEY")
