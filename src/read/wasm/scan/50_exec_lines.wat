;; A part of the kernel's one module (see 00_module.wat).
  ;; An execution line's end at `p` (after its last `}`): `end`, "\n" or
  ;; "\r\n" (or a last "\r"). Sets kind 2, the end and $exact in the record;
  ;; returns where the next line starts, or -1.
  (func $executionEnd (param $p i32) (param $end i32) (param $rec i32) (result i32)
    (local $next i32)
    (block $ended
      (local.set $next (local.get $p))
      (br_if $ended (i32.eq (local.get $p) (local.get $end)))
      (local.set $next (i32.add (local.get $p) (i32.const 1)))
      (br_if $ended (i32.eq (i32.load8_u (local.get $p)) (i32.const 10)))
      (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 13)) (then (return (i32.const -1))))
      (br_if $ended (i32.eq (local.get $next) (local.get $end)))
      (if (i32.ne (i32.load8_u (local.get $next)) (i32.const 10)) (then (return (i32.const -1))))
      (local.set $next (i32.add (local.get $p) (i32.const 2))))
    (f64.store (local.get $rec) (f64.const 2))
    (f64.store offset=16 (local.get $rec) (f64.convert_i32_u (local.get $p)))
    (f64.store offset=72 (local.get $rec) (f64.convert_i32_u (global.get $exact)))
    (f64.store offset=224 (local.get $rec)
      (call $idHash (i32.trunc_f64_u (f64.load offset=88 (local.get $rec)))))
    (local.get $next))

  ;; A line in the tool's layout at `start`: where the next line starts, or -1.
  (func $canonical (param $start i32) (param $end i32) (param $rec i32) (result i32)
    (local $p i32) (local $q i32)
    (local.set $p (call $lit (local.get $start) (local.get $end) (i32.const 0)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (f64.store offset=88 (local.get $rec) (f64.convert_i32_u (local.get $p)))
    (local.set $p (call $lit (call $ulid (local.get $p) (local.get $end)) (local.get $end)
      (i32.const 1)))
    (local.set $q (call $name (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.lt_s (call $lit (local.get $p) (local.get $end) (i32.const 2)) (i32.const 0))
      (then (return (call $otherType (local.get $p) (local.get $q) (local.get $end)
        (local.get $rec)))))
    (local.set $p (call $lit (call $lit (local.get $p) (local.get $end) (i32.const 2))
      (local.get $end) (i32.const 3)))
    (local.set $q (call $nameId (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (f64.store offset=32 (local.get $rec) (f64.convert_i32_u (global.get $id)))
    (local.set $p (call $count (call $lit (local.get $q) (local.get $end) (i32.const 4))
      (local.get $end)))
    (f64.store offset=40 (local.get $rec) (global.get $num))
    (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 5)))
    (local.set $q (call $nameId (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (f64.store offset=48 (local.get $rec) (f64.convert_i32_u (global.get $id)))
    (local.set $p (call $idOrNull (call $lit (local.get $q) (local.get $end) (i32.const 6))
      (local.get $end)))
    (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 7)))
    (local.set $q (call $name (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (f64.store offset=56 (local.get $rec) (f64.convert_i32_u (local.get $p)))
    (f64.store offset=64 (local.get $rec) (f64.convert_i32_u (local.get $q)))
    (f64.store offset=248 (local.get $rec) (call $time (local.get $p) (local.get $q)))
    (global.set $exact (i32.const 1))
    (local.set $p (call $payload (call $lit (local.get $q) (local.get $end) (i32.const 8))
      (local.get $end) (local.get $rec) (i32.const 512) (i32.load (i32.const 2560))))
    ;; the payload's and the line's closing braces
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $end))
      (then (return (i32.const -1))))
    (if (i32.ne (i32.load16_u (local.get $p)) (i32.const 0x7d7d)) (then (return (i32.const -1))))
    (call $executionEnd (i32.add (local.get $p) (i32.const 2)) (local.get $end) (local.get $rec)))

  ;; A line in the Python writer's layout at `start` (keys sorted, ", " and
  ;; ": "; payload keys with a default may be left out): where the next
  ;; line starts, or -1. Never verbatim.
  (func $python (param $start i32) (param $end i32) (param $rec i32) (result i32)
    (local $p i32) (local $q i32) (local $feature i32)
    (local.set $p (call $lit (local.get $start) (local.get $end) (i32.const 13)))
    (local.set $q (call $nameId (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $feature (global.get $id))
    (local.set $p (call $idOrNull (call $lit (local.get $q) (local.get $end) (i32.const 14))
      (local.get $end)))
    (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 15)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (f64.store offset=88 (local.get $rec) (f64.convert_i32_u (local.get $p)))
    (local.set $p (call $lit (call $ulid (local.get $p) (local.get $end)) (local.get $end)
      (i32.const 16)))
    (local.set $q (call $name (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.lt_s (call $lit (local.get $p) (local.get $end) (i32.const 2)) (i32.const 0))
      (then (return (call $otherType (local.get $p) (local.get $q) (local.get $end)
        (local.get $rec)))))
    (f64.store offset=32 (local.get $rec) (f64.convert_i32_u (local.get $feature)))
    (local.set $p (call $count (call $lit (call $lit (local.get $p) (local.get $end) (i32.const 2))
      (local.get $end) (i32.const 17)) (local.get $end)))
    (f64.store offset=40 (local.get $rec) (global.get $num))
    (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 18)))
    (local.set $q (call $nameId (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (f64.store offset=48 (local.get $rec) (f64.convert_i32_u (global.get $id)))
    (global.set $exact (i32.const 0))
    (local.set $p (call $payload (call $lit (local.get $q) (local.get $end) (i32.const 19))
      (local.get $end) (local.get $rec) (i32.const 1024) (i32.load (i32.const 2564))))
    (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 20)))
    (local.set $q (call $name (local.get $p) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (f64.store offset=56 (local.get $rec) (f64.convert_i32_u (local.get $p)))
    (f64.store offset=64 (local.get $rec) (f64.convert_i32_u (local.get $q)))
    (f64.store offset=248 (local.get $rec) (call $time (local.get $p) (local.get $q)))
    ;; the timestamp's quote, then the line's closing brace
    (local.set $p (i32.add (local.get $q) (i32.const 1)))
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 125)) (then (return (i32.const -1))))
    (global.set $exact (i32.const 0))
    (call $executionEnd (i32.add (local.get $p) (i32.const 1)) (local.get $end) (local.get $rec)))

  ;; Reads the lines of [from, end) (at most `max`), one record of 32 f64s
  ;; a line at `out`; returns how many. Slots: 0 kind (0: not vouched for,
  ;; the caller reads the line; 1: a line of another event type; 2: an
  ;; execution event; 3: one the fold summed), 1 the line's start, 2 its end (its "\n" or "\r\n",
  ;; or `end`; kinds 1 and 2), 3 where the next line starts, 4 the feature's
  ;; name id, 5 the clock, 6 the node's name id, 7 and 8 the timestamp's
  ;; body (the caller checks it is RFC 3339), 9 1 when the line is spelled
  ;; as the tool writes it, 10 the rows left out, 11 where the event id
  ;; starts, 12 and up: see $payload. A line is taken only when one of the
  ;; two layouts holds it exactly, with every value valid. Slot 28: the
  ;; id's hash ($idHash); 29 and 30: the cost split exactly into whole
  ;; dollars and 1e-15 USD (NaN in 29: none split). Slot 31: the
  ;; time as epoch milliseconds when $time vouches for it, else NaN.
  (func (export "execLines") (param $from i32) (param $end i32) (param $out i32) (param $max i32)
    (result i32)
    (local $start i32) (local $count i32) (local $rec i32) (local $next i32)
    (global.set $maxName (i32.load (i32.const 2568)))
    ;; no folded line's hash written yet (see 45_fold.wat)
    (i32.store (i32.const 327756) (i32.const 0))
    (global.set $stop (i32.const 0))
    (local.set $start (local.get $from))
    (block $lines
      (loop $line
        (br_if $lines (i32.ge_u (local.get $start) (local.get $end)))
        (br_if $lines (i32.ge_u (local.get $count) (local.get $max)))
        (local.set $rec (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 8))))
        (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $start)))
        (local.set $next (call $canonical (local.get $start) (local.get $end) (local.get $rec)))
        (if (i32.lt_s (local.get $next) (i32.const 0))
          (then
            (local.set $next (call $python (local.get $start) (local.get $end) (local.get $rec)))))
        (if (i32.lt_s (local.get $next) (i32.const 0))
          (then
            ;; not vouched for: the caller reads it
            (f64.store (local.get $rec) (f64.const 0))
            (local.set $next (call $newline (local.get $start) (local.get $end)))
            (local.set $next (select (local.get $end) (i32.add (local.get $next) (i32.const 1))
              (i32.ge_u (local.get $next) (local.get $end))))))
        ;; with a fold installed, a line it sums becomes kind 3
        (if (i32.and (i32.load (i32.const 327680)) (f64.eq (f64.load (local.get $rec)) (f64.const 2)))
          (then (if (call $fold (local.get $rec)) (then (f64.store (local.get $rec) (f64.const 3))))))
        (f64.store offset=24 (local.get $rec) (f64.convert_i32_u (local.get $next)))
        (local.set $start (local.get $next))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        ;; a line asked JS about a new name: it answers before the next run
        (br_if $lines (global.get $stop))
        (br $line)))
    (local.get $count))
)
