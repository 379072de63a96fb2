;; A part of the kernel's one module (see 00_module.wat).
  ;; ---- execution lines -------------------------------------------------
;; `execLines` reads whole execution lines in the tool's layout and in the
  ;; Python writer's (`json.dumps(sort_keys=True)`), for `cost` and every
  ;; summing reader (see line_kernel.ts, which writes the tables below from
  ;; the field table before the first call; this kernel knows no key).
  ;; Memory, in an instance of its own:
  ;;   256   id alphabet: 16 rows by low nibble, a bit per high nibble; 272 the bits
  ;;   512   the tool's payload rows: 32 x (first literal, next literal, kind,
  ;;         flags: 1 nullable, 2 required, slot << 8)
  ;;   1024  the Python writer's payload rows, the same way
  ;;   1536  literal lengths: 128 x (unused i32, length i32)
  ;;   2560  row counts (tool's, Python's); 2568 longest name
  ;;   3072  masks: 17 x 16 bytes, mask n has its first n bytes 0xff
;;   3584  the count's swizzles: 16 x 16 bytes (a data segment, see $count)
  ;;   4096  literal bytes: 128 x 32 (zero-padded; literals are 1 to 32 bytes)
  ;;   8192  name slots: 8192 x i32 (name id + 1, 0 empty)
  ;;   40960 name directory: 4096 x (offset i32, length i32)
  ;;   106496 name bytes (to 237568)
  ;;   237568 names of 1 to 15 bytes as zero-padded 16-byte words: 4096 x 16
  ;;   327680 the fold area (see 45_fold.wat)
  ;;   786432 the block, then the records (64 bytes on)
  ;; Literal numbers (see line_kernel.ts `literals`).
  ;;   0 {"event_id":"   1 ","event_type":"   2 ExecutionEvent"
  ;;   3 ,"aggregate_id":"   4 ","lamport_clock":   5 ,"node_id":"
  ;;   6 ","causation_id":   7 ,"timestamp":"   8 ","payload":
  ;;   9 null   10 true   11 false   12 "event_type"
  ;;   13 {"aggregate_id": "   14 ", "causation_id":    15 , "event_id": "
  ;;   16 ", "event_type": "   17 , "lamport_clock":    18 , "node_id": "
  ;;   19 ", "payload":    20 }, "timestamp": "
  ;;   21 and up: the payload rows' literals

  (global $num (mut f64) (f64.const 0))
  (global $exact (mut i32) (i32.const 1))
  (global $maxName (mut i32) (i32.const 0))
  (global $names (export "names") (mut i32) (i32.const 0))
  (global $nameEnd (mut i32) (i32.const 106496))
  ;; The id of the name $nameId read last.
  (global $id (mut i32) (i32.const 0))
  ;; The last $decimal's value split exactly: whole dollars, and 1e-15 USD below a dollar.
  (global $whole (mut f64) (f64.const 0))
  (global $femtos (mut f64) (f64.const 0))

;; The literal numbered `idx` at `p`: the position after it, or -1. One
  ;; or two 16-byte compares, the bytes past the literal masked off.
  (func $lit (param $p i32) (param $end i32) (param $idx i32) (result i32)
    (local $len i32) (local $at i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $len (i32.load offset=1540 (i32.shl (local.get $idx) (i32.const 3))))
    (if (i32.gt_u (i32.add (local.get $p) (local.get $len)) (local.get $end))
      (then (return (i32.const -1))))
    (local.set $at (i32.add (i32.const 4096) (i32.shl (local.get $idx) (i32.const 5))))
    (if (i32.le_u (local.get $len) (i32.const 16))
      (then
        (return (select (i32.add (local.get $p) (local.get $len)) (i32.const -1)
          (i32.eqz (v128.any_true (v128.xor (v128.load (local.get $at))
            (v128.and (v128.load (local.get $p))
              (v128.load offset=3072 (i32.shl (local.get $len) (i32.const 4)))))))))))
    (select (i32.add (local.get $p) (local.get $len)) (i32.const -1)
      (i32.eqz (v128.any_true (v128.or
        (v128.xor (v128.load (local.get $at)) (v128.load (local.get $p)))
        (v128.xor (v128.load offset=16 (local.get $at))
          (v128.and (v128.load offset=16 (local.get $p))
            (v128.load offset=3072
              (i32.shl (i32.sub (local.get $len) (i32.const 16)) (i32.const 4))))))))))

    ;; The first "\n" at or after `p` before `end`, else `end`.
  (func $newline (param $p i32) (param $end i32) (result i32)
    (local $mask i32)
    (block $found
      (loop $wide
        (br_if $found (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $mask (i8x16.bitmask
          (i8x16.eq (v128.load (local.get $p)) (i8x16.splat (i32.const 10)))))
        (if (local.get $mask)
          (then (return (i32.add (local.get $p) (i32.ctz (local.get $mask))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    (block $done
      (loop $narrow
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $done (i32.eq (i32.load8_u (local.get $p)) (i32.const 10)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $narrow)))
    (local.get $p))

;; A name's body from `p` (printable ASCII, no backslash, 1 to the
  ;; longest name's length): its closing quote's position, or -1. Sixteen
  ;; bytes at a time: the quotes and the bytes a name may not hold, as masks
  ;; (bytes at or past `end` masked off).
  (func $name (param $p i32) (param $end i32) (result i32)
    (local $i i32) (local $v v128) (local $quotes i32) (local $bad i32) (local $room i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $i (local.get $p))
    (loop $wide
      (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
      (local.set $v (v128.load (local.get $i)))
      (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))))
      (local.set $bad (i8x16.bitmask (v128.or
        (v128.or (i8x16.lt_s (local.get $v) (i8x16.splat (i32.const 32)))
          (i8x16.eq (local.get $v) (i8x16.splat (i32.const 127))))
        (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92))))))
      (local.set $room (i32.sub (local.get $end) (local.get $i)))
      (if (i32.lt_u (local.get $room) (i32.const 16))
        (then (local.set $quotes (i32.and (local.get $quotes)
          (i32.sub (i32.shl (i32.const 1) (local.get $room)) (i32.const 1))))))
      (if (local.get $quotes)
        (then
          (local.set $room (i32.ctz (local.get $quotes)))
          (if (i32.and (local.get $bad) (i32.sub (i32.shl (i32.const 1) (local.get $room))
                (i32.const 1)))
            (then (return (i32.const -1))))
          (local.set $i (i32.add (local.get $i) (local.get $room)))
          (if (i32.eq (local.get $i) (local.get $p)) (then (return (i32.const -1))))
          (if (i32.gt_u (i32.sub (local.get $i) (local.get $p)) (global.get $maxName))
            (then (return (i32.const -1))))
          (return (local.get $i))))
      ;; no quote in these sixteen (or in what is left before `end`)
      (if (i32.or (local.get $bad) (i32.lt_u (local.get $room) (i32.const 16)))
        (then (return (i32.const -1))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $wide))
    (unreachable))

  ;; The id of the name `[p, q)`, remembered on first sight; -1 when the
  ;; table is full (the line then goes to the caller).
  (func $intern (param $p i32) (param $q i32) (result i32)
    (local $h i32) (local $i i32) (local $len i32) (local $slot i32) (local $v i32)
    (local $at i32) (local $k i32)
    (local.set $len (i32.sub (local.get $q) (local.get $p)))
    (local.set $h (i32.const -2128831035))
    (local.set $i (local.get $p))
    (block $hashed
      (loop $each
        (br_if $hashed (i32.ge_u (local.get $i) (local.get $q)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $i)))
          (i32.const 16777619)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.set $slot (i32.and (local.get $h) (i32.const 8191)))
    (loop $probe
      (local.set $v (i32.load offset=8192 (i32.shl (local.get $slot) (i32.const 2))))
      (if (i32.eqz (local.get $v))
        (then
          ;; new: copied into the name bytes, if there is room
          (if (i32.ge_u (global.get $names) (i32.const 4096)) (then (return (i32.const -1))))
          (if (i32.gt_u (i32.add (global.get $nameEnd) (local.get $len)) (i32.const 237568))
            (then (return (i32.const -1))))
          (memory.copy (global.get $nameEnd) (local.get $p) (local.get $len))
          (local.set $at (i32.add (i32.const 40960) (i32.shl (global.get $names) (i32.const 3))))
          (i32.store (local.get $at) (global.get $nameEnd))
          (i32.store offset=4 (local.get $at) (local.get $len))
          (global.set $nameEnd (i32.add (global.get $nameEnd) (local.get $len)))
          (global.set $names (i32.add (global.get $names) (i32.const 1)))
          (i32.store offset=8192 (i32.shl (local.get $slot) (i32.const 2)) (global.get $names))
          (return (i32.sub (global.get $names) (i32.const 1)))))
      (local.set $at (i32.add (i32.const 40960) (i32.shl (i32.sub (local.get $v) (i32.const 1))
        (i32.const 3))))
      (if (i32.eq (i32.load offset=4 (local.get $at)) (local.get $len))
        (then
          (local.set $at (i32.load (local.get $at)))
          (local.set $k (i32.const 0))
          (block $differ
            (loop $cmp
              (if (i32.ge_u (local.get $k) (local.get $len))
                (then (return (i32.sub (local.get $v) (i32.const 1)))))
              (br_if $differ (i32.ne (i32.load8_u (i32.add (local.get $p) (local.get $k)))
                (i32.load8_u (i32.add (local.get $at) (local.get $k)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $cmp)))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 8191)))
      (br $probe))
    (unreachable))

;; A name from `p` (see $name) and its id (into $id): the position of its
  ;; closing quote, or -1 (an invalid name, or a full table). A name of at
  ;; most 15 bytes is found with one 16-byte load: the quote, the bytes
  ;; checked, the name as one zero-padded word hashed and compared at once.
  ;; Longer names go byte by byte ($intern); the two never share a name.
  (func $nameId (param $p i32) (param $end i32) (result i32)
    (local $v v128) (local $w v128) (local $quotes i32) (local $len i32) (local $a i64)
    (local $slot i32) (local $e i32) (local $room i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
    (local.set $v (v128.load (local.get $p)))
    (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))))
    (local.set $room (i32.sub (local.get $end) (local.get $p)))
    (if (i32.lt_u (local.get $room) (i32.const 16))
      (then (local.set $quotes (i32.and (local.get $quotes)
        (i32.sub (i32.shl (i32.const 1) (local.get $room)) (i32.const 1))))))
    (if (i32.eqz (local.get $quotes))
      (then
        (local.set $e (call $name (local.get $p) (local.get $end)))
        (if (i32.lt_s (local.get $e) (i32.const 0)) (then (return (i32.const -1))))
        (global.set $id (call $intern (local.get $p) (local.get $e)))
        (return (select (i32.const -1) (local.get $e)
          (i32.lt_s (global.get $id) (i32.const 0))))))
    (local.set $len (i32.ctz (local.get $quotes)))
    (if (i32.eqz (local.get $len)) (then (return (i32.const -1))))
    ;; 0x20..0x7e but the backslash (signed: bytes from 0x80 are below 32)
    (if (i32.and
          (i8x16.bitmask (v128.or
            (v128.or (i8x16.lt_s (local.get $v) (i8x16.splat (i32.const 32)))
              (i8x16.eq (local.get $v) (i8x16.splat (i32.const 127))))
            (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92)))))
          (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1)))
      (then (return (i32.const -1))))
    (local.set $w (v128.and (local.get $v)
      (v128.load offset=3072 (i32.shl (local.get $len) (i32.const 4)))))
    ;; two multiplies side by side, the top 13 bits of their sum's xor
    (local.set $a (i64.xor
      (i64.mul (i64x2.extract_lane 0 (local.get $w)) (i64.const 0x9E3779B97F4A7C15))
      (i64.mul (i64x2.extract_lane 1 (local.get $w)) (i64.const 0xBF58476D1CE4E5B9))))
    (local.set $slot (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 51))))
    (loop $probe
      (local.set $e (i32.load offset=8192 (i32.shl (local.get $slot) (i32.const 2))))
      (if (i32.eqz (local.get $e))
        (then
          (if (i32.ge_u (global.get $names) (i32.const 4096)) (then (return (i32.const -1))))
          (if (i32.gt_u (i32.add (global.get $nameEnd) (local.get $len)) (i32.const 237568))
            (then (return (i32.const -1))))
          (memory.copy (global.get $nameEnd) (local.get $p) (local.get $len))
          (i32.store offset=40960 (i32.shl (global.get $names) (i32.const 3)) (global.get $nameEnd))
          (i32.store offset=40964 (i32.shl (global.get $names) (i32.const 3)) (local.get $len))
          (v128.store offset=237568 (i32.shl (global.get $names) (i32.const 4)) (local.get $w))
          (global.set $nameEnd (i32.add (global.get $nameEnd) (local.get $len)))
          (global.set $id (global.get $names))
          (global.set $names (i32.add (global.get $names) (i32.const 1)))
          (i32.store offset=8192 (i32.shl (local.get $slot) (i32.const 2)) (global.get $names))
          (return (i32.add (local.get $p) (local.get $len)))))
      (local.set $e (i32.sub (local.get $e) (i32.const 1)))
      (if (i32.and
            (i32.eq (i32.load offset=40964 (i32.shl (local.get $e) (i32.const 3))) (local.get $len))
            (i32.eqz (v128.any_true (v128.xor (local.get $w)
              (v128.load offset=237568 (i32.shl (local.get $e) (i32.const 4)))))))
        (then
          (global.set $id (local.get $e))
          (return (i32.add (local.get $p) (local.get $len)))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 8191)))
      (br $probe))
    (unreachable))

