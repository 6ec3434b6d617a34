/// The Lua scripts behind ``RedisLimits``. Each runs atomically in Redis, with Redis's clock.
enum RedisLimitsScripts {
    /// Lua shared by the scripts that need time: Redis's clock in ms, and the quota window holding
    /// a moment (fixed windows from 1970, or — window 0 — the calendar month, UTC; as `QuotaWindow`).
    private static let clock = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function days_from_civil(y, m)
          if m <= 2 then y = y - 1 end
          local era = math.floor(y / 400)
          local yoe = y - era * 400
          local mp = m > 2 and m - 3 or m + 9
          local doy = math.floor((153 * mp + 2) / 5)
          local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
          return era * 146097 + doe - 719468
        end
        local function quota_window(at, size)
          if size > 0 then
            local start = at - (at % size)
            return start, start + size
          end
          local z = math.floor(at / 86400000) + 719468
          local era = math.floor(z / 146097)
          local doe = z - era * 146097
          local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
          local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
          local mp = math.floor((5 * doy + 2) / 153)
          local m = mp < 10 and mp + 3 or mp - 9
          local y = yoe + era * 400 + (m <= 2 and 1 or 0)
          local start = days_from_civil(y, m) * 86400000
          local stop = (m == 12 and days_from_civil(y + 1, 1) or days_from_civil(y, m + 1)) * 86400000
          return start, stop
        end

        """

    /// Lua shared by the scripts that settle: a holder's reservation (its field `r:<holder>`)
    /// replaced by what it used. Settling twice, or after the window's key expired, changes
    /// nothing: the first settlement removes the field.
    private static let settlement = """
        local function settle(key, holder, actual)
          local reserved = redis.call('HGET', key, 'r:' .. holder)
          if reserved then
            redis.call('HDEL', key, 'r:' .. holder)
            redis.call('HINCRBY', key, 'used', tonumber(actual) - tonumber(reserved))
          end
        end

        """

    /// KEYS: one per rule. ARGV: the holder, the allowance asked for (``AllowancePolicy``: size, 0 for
    /// none; divisor; duration in ms), then per rule its kind (`r` rate, `c` concurrency, `q`
    /// quota), limit, window in ms and reservation. Checks every rule, and only if all have room
    /// counts the holder in each (a quota's key is suffixed with its window's start); then grants
    /// what it can of the allowance on each rate and quota: a rate's places recorded as admissions at
    /// the allowance's end (`<holder>#<n>`), a quota's units as the reservation `r:A<holder>`.
    /// Returns: the 1-based index of the first refusing rule (0: admitted), then per rule the
    /// places used (after counting this call, not the allowance; a refusing quota: its limit), the ms
    /// until a place frees, the quota window's start (0 for other kinds) and the allowance granted
    /// (places, or units).
    static let admit = RedisScript(
        name: "admit",
        source: clock + """
            local K, A = KEYS, ARGV
            local holder = A[1]
            local allowance_size, allowance_divisor, allowance_ms = tonumber(A[2]), tonumber(A[3]), tonumber(A[4])
            local counts, resets, windows, keys, used_before, allowed = {}, {}, {}, {}, {}, {}
            local refused = 0
            for i = 1, #K do
              local kind, limit, window, reserve = A[4 * i + 1], tonumber(A[4 * i + 2]), tonumber(A[4 * i + 3]), tonumber(A[4 * i + 4])
              keys[i] = K[i]
              windows[i] = 0
              allowed[i] = 0
              if kind == 'q' then
                local start, stop = quota_window(now, window)
                keys[i] = K[i] .. ':' .. start
                windows[i] = start
                resets[i] = stop - now
                local used = tonumber(redis.call('HGET', keys[i], 'used') or '0')
                used_before[i] = used
                if used + reserve > limit then
                  counts[i] = limit
                  if refused == 0 then refused = i end
                else
                  counts[i] = used
                end
              else
                if kind == 'r' then
                  redis.call('ZREMRANGEBYSCORE', keys[i], '-inf', now - window)
                else
                  redis.call('ZREMRANGEBYSCORE', keys[i], '-inf', now)
                end
                counts[i] = redis.call('ZCARD', keys[i])
                if refused == 0 and counts[i] >= limit then refused = i end
              end
            end
            if refused == 0 then
              for i = 1, #K do
                local kind, limit, window, reserve = A[4 * i + 1], tonumber(A[4 * i + 2]), tonumber(A[4 * i + 3]), tonumber(A[4 * i + 4])
                if kind == 'q' then
                  counts[i] = used_before[i] + reserve
                  local allowance = 0
                  if allowance_size > 0 and reserve > 0 then
                    allowance = math.min(allowance_size, math.floor((limit - counts[i]) / (allowance_divisor * reserve))) * reserve
                  end
                  allowed[i] = allowance
                  -- The total and the reservations in one write (the script is atomic).
                  if allowance > 0 then
                    redis.call('HSET', keys[i], 'used', counts[i] + allowance, 'r:' .. holder, reserve, 'r:A' .. holder, allowance)
                  else
                    redis.call('HSET', keys[i], 'used', counts[i], 'r:' .. holder, reserve)
                  end
                  -- Kept a day past its window, for reports of the window just ended (set once,
                  -- when the window's key is new).
                  if used_before[i] == 0 then redis.call('PEXPIRE', keys[i], resets[i] + 86400000) end
                elseif kind == 'r' then
                  redis.call('ZADD', keys[i], now, holder)
                  counts[i] = counts[i] + 1
                  local allowance = 0
                  if allowance_size > 0 then allowance = math.min(allowance_size, math.floor((limit - counts[i]) / allowance_divisor)) end
                  allowed[i] = allowance
                  if allowance > 0 then
                    local places = {}
                    for n = 1, allowance do
                      places[2 * n - 1] = now + allowance_ms
                      places[2 * n] = holder .. '#' .. n
                    end
                    redis.call('ZADD', keys[i], unpack(places))
                  end
                  redis.call('PEXPIRE', keys[i], window + allowance_ms)
                else
                  redis.call('ZADD', keys[i], now + window, holder)
                  redis.call('PEXPIRE', keys[i], window)
                  counts[i] = counts[i] + 1
                end
              end
            end
            local out = {refused}
            for i = 1, #K do
              local kind, window = A[4 * i + 1], tonumber(A[4 * i + 3])
              local reset = 0
              if kind == 'q' then
                reset = resets[i]
              elseif counts[i] + allowed[i] >= tonumber(A[4 * i + 2]) then
                -- When a place frees: only a full rule's is needed.
                local first = redis.call('ZRANGE', keys[i], 0, 0, 'WITHSCORES')
                if #first == 2 then
                  local score = tonumber(first[2])
                  if kind == 'r' then reset = score + window - now else reset = score - now end
                end
              end
              out[#out + 1] = counts[i]
              out[#out + 1] = math.max(0, math.floor(reset))
              out[#out + 1] = windows[i]
              out[#out + 1] = allowed[i]
            end
            return out
            """)

    /// KEYS: quota keys with their window's start. ARGV: per key an operation, a holder and
    /// units: `s` replaces the holder's reservation with the units it really used; `h` records
    /// units already counted as the holder's reservation (a call still running when the allowance it
    /// was admitted from closed), if the window's key still exists.
    static let settle = RedisScript(
        name: "settle",
        source: settlement + """
            for i = 1, #KEYS do
              local op, holder, units = ARGV[3 * i - 2], ARGV[3 * i - 1], ARGV[3 * i]
              if op == 's' then
                settle(KEYS[i], holder, units)
              elseif redis.call('EXISTS', KEYS[i]) == 1 then
                redis.call('HSET', KEYS[i], 'r:' .. holder, units)
              end
            end
            return 1
            """)

    /// KEYS: the quota key (without window). ARGV: window in ms. The current window's total.
    static let used = RedisScript(
        name: "used",
        source: clock + """
            local start = quota_window(now, tonumber(ARGV[1]))
            return tonumber(redis.call('HGET', KEYS[1] .. ':' .. start, 'used') or '0')
            """)

    /// KEYS: concurrency keys. ARGV: holder. Ends the holder's leases.
    static let release = RedisScript(
        name: "release",
        source: """
            for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
            return 1
            """)

    /// KEYS: concurrency keys. ARGV: holder, then each key's lease TTL in ms. Extends the holder's
    /// leases that still exist (a lapsed one stays lapsed: its place may be someone else's now).
    static let renew = RedisScript(
        name: "renew",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            for i = 1, #KEYS do
              local ttl = tonumber(ARGV[i + 1])
              if redis.call('ZSCORE', KEYS[i], ARGV[1]) then
                redis.call('ZADD', KEYS[i], 'XX', now + ttl, ARGV[1])
                redis.call('PEXPIRE', KEYS[i], ttl)
              end
            end
            return 1
            """)
}
