/// The Lua scripts behind ``RedisLimits``. Each runs atomically in Redis, with Redis's clock.
struct RedisLimitsScripts: Sendable {
    let name: String
    let source: String

    /// KEYS: one per rule. ARGV: holder, then per rule its kind (`r` rate, `c` concurrency), limit
    /// and window in ms. Checks every rule, and only if all have room counts the holder in each.
    /// Returns: the 1-based index of the first refusing rule (0: admitted), then per rule the
    /// places used (after counting) and the ms until the oldest place frees.
    static let admit = RedisLimitsScripts(
        name: "admit",
        source: """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local holder = ARGV[1]
            local counts = {}
            local refused = 0
            for i = 1, #KEYS do
              local kind, limit, window = ARGV[3 * i - 1], tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
              if kind == 'r' then
                redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
              else
                redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
              end
              counts[i] = redis.call('ZCARD', KEYS[i])
              if refused == 0 and counts[i] >= limit then refused = i end
            end
            if refused == 0 then
              for i = 1, #KEYS do
                local kind, window = ARGV[3 * i - 1], tonumber(ARGV[3 * i + 1])
                if kind == 'r' then
                  redis.call('ZADD', KEYS[i], now, holder)
                else
                  redis.call('ZADD', KEYS[i], now + window, holder)
                end
                redis.call('PEXPIRE', KEYS[i], window)
                counts[i] = counts[i] + 1
              end
            end
            local out = {refused}
            for i = 1, #KEYS do
              local kind, window = ARGV[3 * i - 1], tonumber(ARGV[3 * i + 1])
              local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
              local reset = 0
              if #first == 2 then
                local score = tonumber(first[2])
                if kind == 'r' then reset = score + window - now else reset = score - now end
              end
              out[#out + 1] = counts[i]
              out[#out + 1] = math.max(0, math.floor(reset))
            end
            return out
            """)

    /// KEYS: concurrency keys. ARGV: holder. Ends the holder's leases.
    static let release = RedisLimitsScripts(
        name: "release",
        source: """
            for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
            return 1
            """)

    /// KEYS: concurrency keys. ARGV: holder, then each key's lease TTL in ms. Extends the holder's
    /// leases that still exist (a lapsed one stays lapsed: its place may be someone else's now).
    static let renew = RedisLimitsScripts(
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
