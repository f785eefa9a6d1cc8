-- wrk: POST /api/v1/auth/login with the bench user's credentials (LS_EMAIL, LS_PASSWORD).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}', os.getenv("LS_EMAIL"), os.getenv("LS_PASSWORD"))
