# Peer for the cost benchmark: jq -n -f peer_cost.jq FILE... streams every
# line, groups execution events by model, counts them and sums tokens and
# reported costs. Prints {"<model or (none)>": {"events": n, ...}}.
reduce inputs as $e ({};
  if $e.event_type == "ExecutionEvent" then
    $e.payload as $p
    | .[$p.model // "(none)"] |= {
        events: ((.events // 0) + 1),
        input_tokens: ((.input_tokens // 0) + ($p.input_tokens // 0)),
        output_tokens: ((.output_tokens // 0) + ($p.output_tokens // 0)),
        cache_read_tokens: ((.cache_read_tokens // 0) + ($p.cache_read_tokens // 0)),
        cache_write_tokens: ((.cache_write_tokens // 0) + ($p.cache_write_tokens // 0)),
        cost_usd: ((.cost_usd // 0) + ($p.cost_usd // 0))
      }
  else . end)
