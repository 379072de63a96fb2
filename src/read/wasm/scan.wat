;; The byte scanner's WebAssembly kernel (hand-written; `deno task wasm`
;; assembles it with a pinned wabt into scan.wasm and scan_wasm.ts).
;;
;; Memory layout: `newlines` takes a block at offset 0; `orderKeys` keeps
;; its literals in the first 1 KiB and takes a block at 1024 (BLOCK_AT).
;; The caller copies the block in, reads results from the offset it passes,
;; and grows the memory as needed.
(module
  (memory (export "memory") 1)

  ;; Writes the offset of every "\n" in [0, n) as an i32 at `out`, in order;
  ;; returns how many. Sixteen bytes are compared at a time (SIMD); each
  ;; match is taken from the compare's bit mask, lowest bit first.
  (func (export "newlines") (param $n i32) (param $out i32) (result i32)
    (local $i i32) (local $mask i32) (local $count i32) (local $nl v128)
    (local.set $nl (i8x16.splat (i32.const 10)))
    (block $tail
      (loop $wide
        (br_if $tail (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $mask
          (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (local.get $nl))))
        (block $none
          (loop $bits
            (br_if $none (i32.eqz (local.get $mask)))
            (i32.store
              (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2)))
              (i32.add (local.get $i) (i32.ctz (local.get $mask))))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            ;; clear the lowest set bit
            (local.set $mask
              (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
            (br $bits)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $wide)))
    (block $done
      (loop $narrow
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 10))
          (then
            (i32.store
              (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2)))
              (local.get $i))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $narrow)))
    (local.get $count))

  ;; ---- order keys ------------------------------------------------------
  ;; Literals of the tool's envelope head, at fixed offsets (data below).
  (data (i32.const 0) "{\"event_id\":\"")          ;; 0, 13 bytes
  (data (i32.const 16) "\",\"event_type\":\"")     ;; 16, 16 bytes
  (data (i32.const 32) "\",\"aggregate_id\":\"")   ;; 32, 18 bytes
  (data (i32.const 64) "\",\"lamport_clock\":")    ;; 64, 18 bytes
  (data (i32.const 96) ",\"node_id\":\"")          ;; 96, 12 bytes
  (data (i32.const 112) "\"event_id\"")            ;; 112, 10 bytes
  (data (i32.const 128) "\"lamport_clock\"")       ;; 128, 15 bytes
  (data (i32.const 144) "\"node_id\"")             ;; 144, 9 bytes

  ;; 1 when the `len` bytes at `p` (before `end`) equal those at `lit`.
  (func $is (param $p i32) (param $end i32) (param $lit i32) (param $len i32) (result i32)
    (local $i i32)
    (if (i32.gt_u (i32.add (local.get $p) (local.get $len)) (local.get $end))
      (then (return (i32.const 0))))
    (block $same
      (loop $each
        (br_if $same (i32.ge_u (local.get $i) (local.get $len)))
        (if (i32.ne
              (i32.load8_u (i32.add (local.get $p) (local.get $i)))
              (i32.load8_u (i32.add (local.get $lit) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.const 1))

  ;; A plain string body from `p` (printable ASCII, no backslash, at least
  ;; one byte): the position of its closing quote, or -1.
  (func $plain (param $p i32) (param $end i32) (result i32)
    (local $i i32) (local $c i32)
    (local.set $i (local.get $p))
    (block $bad
      (loop $each
        (br_if $bad (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.eq (local.get $c) (i32.const 34))
          (then (return (select (i32.const -1) (local.get $i)
            (i32.eq (local.get $i) (local.get $p))))))
        (br_if $bad (i32.lt_u (local.get $c) (i32.const 32)))
        (br_if $bad (i32.ge_u (local.get $c) (i32.const 127)))
        (br_if $bad (i32.eq (local.get $c) (i32.const 92)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.const -1))

  ;; For each line of [from, end) (a block of whole lines), 24 bytes at
  ;; `out`: the line's end (its "\n", or `end`), 1 when its head gives its
  ;; order keys (else 0: the caller reads it), the node id's start and
  ;; length, and the clock as f64. The head gives the keys when it is the
  ;; tool's envelope with plain strings and no later byte of the line names
  ;; one of the order keys again. Returns the number of lines.
  (func (export "orderKeys") (param $from i32) (param $end i32) (param $out i32) (result i32)
    (local $start i32) (local $nl i32) (local $p i32) (local $q i32) (local $ok i32)
    (local $clock f64) (local $node i32) (local $nodeLen i32) (local $count i32)
    (local $c i32) (local $digits i32) (local $mask i32)
    (local.set $start (local.get $from))
    (block $lines
      (loop $line
        (br_if $lines (i32.ge_u (local.get $start) (local.get $end)))
        ;; the line's end: sixteen bytes at a time, then byte by byte
        (local.set $nl (local.get $start))
        (block $found
          (loop $wide
            (br_if $found (i32.gt_u (i32.add (local.get $nl) (i32.const 16)) (local.get $end)))
            (local.set $c (i8x16.bitmask
              (i8x16.eq (v128.load (local.get $nl)) (i8x16.splat (i32.const 10)))))
            (if (local.get $c)
              (then
                (local.set $nl (i32.add (local.get $nl) (i32.ctz (local.get $c))))
                (br $found)))
            (local.set $nl (i32.add (local.get $nl) (i32.const 16)))
            (br $wide)))
        (block $found
          (loop $scan
            (br_if $found (i32.ge_u (local.get $nl) (local.get $end)))
            (br_if $found (i32.eq (i32.load8_u (local.get $nl)) (i32.const 10)))
            (local.set $nl (i32.add (local.get $nl) (i32.const 1)))
            (br $scan)))
        (local.set $ok (i32.const 0))
        (block $head
          (br_if $head (i32.eqz (call $is (local.get $start) (local.get $nl) (i32.const 0) (i32.const 13))))
          (local.set $p (call $plain (i32.add (local.get $start) (i32.const 13)) (local.get $nl)))
          (br_if $head (i32.ne (local.get $p) (i32.add (local.get $start) (i32.const 39))))
          (br_if $head (i32.eqz (call $is (local.get $p) (local.get $nl) (i32.const 16) (i32.const 16))))
          (local.set $p (call $plain (i32.add (local.get $p) (i32.const 16)) (local.get $nl)))
          (br_if $head (i32.lt_s (local.get $p) (i32.const 0)))
          (br_if $head (i32.eqz (call $is (local.get $p) (local.get $nl) (i32.const 32) (i32.const 18))))
          (local.set $p (call $plain (i32.add (local.get $p) (i32.const 18)) (local.get $nl)))
          (br_if $head (i32.lt_s (local.get $p) (i32.const 0)))
          (br_if $head (i32.eqz (call $is (local.get $p) (local.get $nl) (i32.const 64) (i32.const 18))))
          (local.set $p (i32.add (local.get $p) (i32.const 18)))
          ;; the clock: 1 to 15 digits, no leading zero
          (local.set $clock (f64.const 0))
          (local.set $q (local.get $p))
          (block $num
            (loop $digit
              (br_if $num (i32.ge_u (local.get $q) (local.get $nl)))
              (local.set $c (i32.sub (i32.load8_u (local.get $q)) (i32.const 48)))
              (br_if $num (i32.gt_u (local.get $c) (i32.const 9)))
              (local.set $clock (f64.add (f64.mul (local.get $clock) (f64.const 10))
                (f64.convert_i32_u (local.get $c))))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br $digit)))
          (local.set $digits (i32.sub (local.get $q) (local.get $p)))
          (br_if $head (i32.eqz (local.get $digits)))
          (br_if $head (i32.gt_u (local.get $digits) (i32.const 15)))
          (br_if $head (i32.and (i32.gt_u (local.get $digits) (i32.const 1))
            (i32.eq (i32.load8_u (local.get $p)) (i32.const 48))))
          (br_if $head (i32.eqz (call $is (local.get $q) (local.get $nl) (i32.const 96) (i32.const 12))))
          (local.set $node (i32.add (local.get $q) (i32.const 12)))
          (local.set $p (call $plain (local.get $node) (local.get $nl)))
          (br_if $head (i32.lt_s (local.get $p) (i32.const 0)))
          (local.set $nodeLen (i32.sub (local.get $p) (local.get $node)))
          ;; no later mention of an order key on the line (JSON lets the last
          ;; one win): the quotes, sixteen bytes at a time; at each one before
          ;; e, l or n, the three keys are compared
          (block $clean
            (loop $rest
              (br_if $clean (i32.ge_u (local.get $p) (local.get $nl)))
              (local.set $mask (i8x16.bitmask
                (i8x16.eq (v128.load (local.get $p)) (i8x16.splat (i32.const 34)))))
              (block $none
                (loop $bits
                  (br_if $none (i32.eqz (local.get $mask)))
                  (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $mask))))
                  (br_if $clean (i32.ge_u (local.get $q) (local.get $nl)))
                  (local.set $c (i32.load8_u offset=1 (local.get $q)))
                  (if (i32.or (i32.eq (local.get $c) (i32.const 101))
                        (i32.or (i32.eq (local.get $c) (i32.const 108))
                          (i32.eq (local.get $c) (i32.const 110))))
                    (then
                      (br_if $head
                        (call $is (local.get $q) (local.get $nl) (i32.const 112) (i32.const 10)))
                      (br_if $head
                        (call $is (local.get $q) (local.get $nl) (i32.const 128) (i32.const 15)))
                      (br_if $head
                        (call $is (local.get $q) (local.get $nl) (i32.const 144) (i32.const 9)))))
                  (local.set $mask
                    (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                  (br $bits)))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (br $rest)))
          (local.set $ok (i32.const 1)))
        (local.set $q (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 24))))
        (i32.store (local.get $q) (local.get $nl))
        (i32.store offset=4 (local.get $q) (local.get $ok))
        (i32.store offset=8 (local.get $q) (local.get $node))
        (i32.store offset=12 (local.get $q) (local.get $nodeLen))
        (f64.store offset=16 (local.get $q) (local.get $clock))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $start (i32.add (local.get $nl) (i32.const 1)))
        (br $line)))
    (local.get $count))

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
  ;;   4096  literal bytes: 128 x 32 (zero-padded; literals are 1 to 32 bytes)
  ;;   8192  name slots: 8192 x i32 (name id + 1, 0 empty)
  ;;   40960 name directory: 4096 x (offset i32, length i32)
  ;;   106496 name bytes (to 237568)
  ;;   237568 names of 1 to 15 bytes as zero-padded 16-byte words: 4096 x 16
  ;;   327680 the block, then the records (64 bytes on)
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
        (v128.or (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32)))
          (i8x16.gt_u (local.get $v) (i8x16.splat (i32.const 126))))
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
    ;; 0x20..0x7e but the backslash
    (if (i32.and
          (i8x16.bitmask (v128.or
            (v128.or (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32)))
              (i8x16.gt_u (local.get $v) (i8x16.splat (i32.const 126))))
            (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92)))))
          (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1)))
      (then (return (i32.const -1))))
    (local.set $w (v128.and (local.get $v)
      (v128.load offset=3072 (i32.shl (local.get $len) (i32.const 4)))))
    (local.set $a (i64.xor (i64x2.extract_lane 0 (local.get $w))
      (i64.mul (i64x2.extract_lane 1 (local.get $w)) (i64.const 0x9E3779B97F4A7C15))))
    (local.set $a (i64.mul (i64.xor (local.get $a) (i64.shr_u (local.get $a) (i64.const 29)))
      (i64.const 0xBF58476D1CE4E5B9)))
    (local.set $slot (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 40)))
      (i32.const 8191)))
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

    ;; A non-negative integer of 1 to 15 digits, no leading zero, into $num.
  (func $count (param $p i32) (param $end i32) (result i32)
    (local $i i32) (local $v i64) (local $d i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $i (local.get $p))
    (block $done
      (loop $digit
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
        (local.set $v (i64.add (i64.mul (local.get $v) (i64.const 10))
          (i64.extend_i32_u (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $digit)))
    (local.set $d (i32.sub (local.get $i) (local.get $p)))
    (if (i32.or (i32.eqz (local.get $d)) (i32.gt_u (local.get $d) (i32.const 15)))
      (then (return (i32.const -1))))
    (if (i32.and (i32.gt_u (local.get $d) (i32.const 1))
          (i32.eq (i32.load8_u (local.get $p)) (i32.const 48)))
      (then (return (i32.const -1))))
    (global.set $num (f64.convert_i64_u (local.get $v)))
    (local.get $i))

  ;; A non-negative decimal of at most 15 digits without exponent into $num
  ;; (the digits as an exact integer over an exact power of ten: one
  ;; correctly rounded division, the double JSON.parse gives); other
  ;; spellings are left to the caller (-1). Clears $exact for a spelling
  ;; JSON.stringify writes otherwise.
  (func $decimal (param $p i32) (param $end i32) (result i32)
    (local $i i32) (local $m i64) (local $d i32) (local $whole i32) (local $places i32)
    (local $scale f64) (local $value f64) (local $c i32) (local $pow i64)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $pow (i64.const 1))
    (local.set $i (local.get $p))
    (block $done
      (loop $digit
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
        (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10))
          (i64.extend_i32_u (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $digit)))
    (local.set $whole (i32.sub (local.get $i) (local.get $p)))
    (if (i32.eqz (local.get $whole)) (then (return (i32.const -1))))
    (if (i32.and (i32.gt_u (local.get $whole) (i32.const 1))
          (i32.eq (i32.load8_u (local.get $p)) (i32.const 48)))
      (then (return (i32.const -1))))
    (if (i32.and (i32.lt_u (local.get $i) (local.get $end))
          (i32.eq (i32.load8_u (local.get $i)) (i32.const 46)))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $scale (f64.const 1))
        (block $done
          (loop $digit
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
            (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
            (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10))
              (i64.extend_i32_u (local.get $d))))
            (local.set $scale (f64.mul (local.get $scale) (f64.const 10)))
            (local.set $pow (i64.mul (local.get $pow) (i64.const 10)))
            (local.set $places (i32.add (local.get $places) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $digit)))
        (if (i32.eqz (local.get $places)) (then (return (i32.const -1))))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $c (i32.or (i32.load8_u (local.get $i)) (i32.const 32)))
        (if (i32.eq (local.get $c) (i32.const 101)) (then (return (i32.const -1))))))
    (if (i32.gt_u (i32.add (local.get $whole) (local.get $places)) (i32.const 15))
      (then (return (i32.const -1))))
    ;; the exact amount: m / 10^places dollars, whole and below (16 digits at most: exact)
    (global.set $whole (f64.convert_i64_u (i64.div_u (local.get $m) (local.get $pow))))
    (global.set $femtos (f64.convert_i64_u (i64.mul (i64.rem_u (local.get $m) (local.get $pow))
      (i64.div_u (i64.const 1000000000000000) (local.get $pow)))))
    (local.set $value (f64.convert_i64_u (local.get $m)))
    (if (local.get $places)
      (then
        (local.set $value (f64.div (local.get $value) (local.get $scale)))
        (if (i32.or (i32.eq (i32.load8_u (i32.sub (local.get $i) (i32.const 1))) (i32.const 48))
              (f64.lt (local.get $value) (f64.const 1e-6)))
          (then (global.set $exact (i32.const 0))))))
    (global.set $num (local.get $value))
    (local.get $i))

  ;; `n` ASCII digits at `p` as a number, or -1.
  (func $digits (param $p i32) (param $n i32) (result i32)
    (local $v i32) (local $d i32)
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $d (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
        (if (i32.gt_u (local.get $d) (i32.const 9)) (then (return (i32.const -1))))
        (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $d)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $each)))
    (local.get $v))

  ;; The timestamp body [p, q) as epoch milliseconds, when it is spelled
  ;; YYYY-MM-DDTHH:MM:SS, an optional fraction of 1 to 9 digits, then Z, with
  ;; a year from 1000 and a valid date and time: RFC 3339 (`isRfc3339Bytes`
  ;; holds), and the value `isoBytesMs` gives (microseconds kept, further
  ;; digits cut). NaN for every other spelling: the caller reads it.
  (func $time (param $p i32) (param $q i32) (result f64)
    (local $y i32) (local $mo i32) (local $d i32) (local $h i32) (local $mi i32) (local $s i32)
    (local $i i32) (local $n i32) (local $micro i32) (local $dim i32) (local $yoe i32)
    (local $days i64) (local $ms f64)
    (if (i32.lt_s (i32.sub (local.get $q) (local.get $p)) (i32.const 20))
      (then (return (f64.const nan))))
    (if (i32.or (i32.or (i32.ne (i32.load8_u offset=4 (local.get $p)) (i32.const 45))
            (i32.ne (i32.load8_u offset=7 (local.get $p)) (i32.const 45)))
          (i32.or (i32.ne (i32.load8_u offset=10 (local.get $p)) (i32.const 84))
            (i32.or (i32.ne (i32.load8_u offset=13 (local.get $p)) (i32.const 58))
              (i32.ne (i32.load8_u offset=16 (local.get $p)) (i32.const 58)))))
      (then (return (f64.const nan))))
    (local.set $y (call $digits (local.get $p) (i32.const 4)))
    (local.set $mo (call $digits (i32.add (local.get $p) (i32.const 5)) (i32.const 2)))
    (local.set $d (call $digits (i32.add (local.get $p) (i32.const 8)) (i32.const 2)))
    (local.set $h (call $digits (i32.add (local.get $p) (i32.const 11)) (i32.const 2)))
    (local.set $mi (call $digits (i32.add (local.get $p) (i32.const 14)) (i32.const 2)))
    (local.set $s (call $digits (i32.add (local.get $p) (i32.const 17)) (i32.const 2)))
    ;; a -1 among them fails the unsigned bounds below
    (if (i32.or (i32.or (i32.lt_s (local.get $y) (i32.const 1000))
            (i32.or (i32.lt_s (local.get $mo) (i32.const 1)) (i32.gt_s (local.get $mo) (i32.const 12))))
          (i32.or (i32.or (i32.lt_s (local.get $d) (i32.const 1)) (i32.gt_u (local.get $h) (i32.const 23)))
            (i32.or (i32.gt_u (local.get $mi) (i32.const 59)) (i32.gt_u (local.get $s) (i32.const 59)))))
      (then (return (f64.const nan))))
    (local.set $dim (i32.const 31))
    (if (i32.eq (local.get $mo) (i32.const 2))
      (then
        (local.set $dim (select (i32.const 29) (i32.const 28)
          (i32.and (i32.eqz (i32.rem_u (local.get $y) (i32.const 4)))
            (i32.or (i32.ne (i32.rem_u (local.get $y) (i32.const 100)) (i32.const 0))
              (i32.eqz (i32.rem_u (local.get $y) (i32.const 400))))))))
      (else
        (if (i32.or (i32.or (i32.eq (local.get $mo) (i32.const 4)) (i32.eq (local.get $mo) (i32.const 6)))
              (i32.or (i32.eq (local.get $mo) (i32.const 9)) (i32.eq (local.get $mo) (i32.const 11))))
          (then (local.set $dim (i32.const 30))))))
    (if (i32.gt_u (local.get $d) (local.get $dim)) (then (return (f64.const nan))))
    (local.set $i (i32.add (local.get $p) (i32.const 19)))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 46))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $done
          (loop $digit
            (br_if $done (i32.ge_u (local.get $i) (local.get $q)))
            (br_if $done (i32.gt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)) (i32.const 9)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $digit)))
        (local.set $n (i32.sub (i32.sub (local.get $i) (local.get $p)) (i32.const 20)))
        (if (i32.or (i32.eqz (local.get $n)) (i32.gt_u (local.get $n) (i32.const 9)))
          (then (return (f64.const nan))))
        (if (i32.gt_u (local.get $n) (i32.const 6)) (then (local.set $n (i32.const 6))))
        (local.set $micro (call $digits (i32.add (local.get $p) (i32.const 20)) (local.get $n)))
        (loop $scale
          (if (i32.lt_u (local.get $n) (i32.const 6))
            (then
              (local.set $micro (i32.mul (local.get $micro) (i32.const 10)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br $scale))))))
    (if (i32.or (i32.ne (local.get $i) (i32.sub (local.get $q) (i32.const 1)))
          (i32.ne (i32.load8_u (local.get $i)) (i32.const 90)))
      (then (return (f64.const nan))))
    ;; days since 1970-01-01, proleptic Gregorian (years from March)
    (if (i32.le_u (local.get $mo) (i32.const 2)) (then (local.set $y (i32.sub (local.get $y) (i32.const 1)))))
    (local.set $yoe (i32.rem_u (local.get $y) (i32.const 400)))
    (local.set $days (i64.extend_i32_u (i32.add
      (i32.add (i32.mul (local.get $yoe) (i32.const 365))
        (i32.sub (i32.div_u (local.get $yoe) (i32.const 4)) (i32.div_u (local.get $yoe) (i32.const 100))))
      (i32.add (i32.div_u (i32.add (i32.mul (i32.const 153)
            (i32.add (local.get $mo) (select (i32.const -3) (i32.const 9)
              (i32.gt_u (local.get $mo) (i32.const 2)))))
          (i32.const 2)) (i32.const 5))
        (i32.sub (local.get $d) (i32.const 1))))))
    (local.set $days (i64.sub (i64.add (local.get $days)
      (i64.mul (i64.extend_i32_u (i32.div_u (local.get $y) (i32.const 400))) (i64.const 146097)))
      (i64.const 719468)))
    (local.set $ms (f64.convert_i64_s (i64.add (i64.mul (local.get $days) (i64.const 86400000))
      (i64.extend_i32_u (i32.add (i32.add (i32.mul (local.get $h) (i32.const 3600000))
        (i32.mul (local.get $mi) (i32.const 60000))) (i32.mul (local.get $s) (i32.const 1000)))))))
    (f64.add (local.get $ms) (f64.div (f64.convert_i32_u (local.get $micro)) (f64.const 1000))))

  ;; A 32-bit signed integer into $num (`-0` stays -0 and clears $exact).
  (func $int32 (param $p i32) (param $end i32) (result i32)
    (local $neg i32) (local $q i32) (local $v f64)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $neg (i32.and (i32.lt_u (local.get $p) (local.get $end))
      (i32.eq (i32.load8_u (local.get $p)) (i32.const 45))))
    (local.set $q (call $count (i32.add (local.get $p) (local.get $neg)) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $v (global.get $num))
    (if (local.get $neg) (then (local.set $v (f64.neg (local.get $v)))))
    (if (i32.or (f64.lt (local.get $v) (f64.const -2147483648))
          (f64.ge (local.get $v) (f64.const 2147483648)))
      (then (return (i32.const -1))))
    (if (i32.and (local.get $neg) (f64.eq (local.get $v) (f64.const 0)))
      (then (global.set $exact (i32.const 0))))
    (global.set $num (local.get $v))
    (local.get $q))

  ;; A string body without escapes from `p`: its closing quote, or -1 (a
  ;; backslash or a control character). Bytes >= 0x80 clear $exact.
  (func $text (param $p i32) (param $end i32) (result i32)
    (local $c i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (block $bad
      (loop $each
        (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (i32.const 34)) (then (return (local.get $p))))
        (br_if $bad (i32.lt_u (local.get $c) (i32.const 32)))
        (br_if $bad (i32.eq (local.get $c) (i32.const 92)))
        (if (i32.ge_u (local.get $c) (i32.const 128)) (then (global.set $exact (i32.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $each)))
    (i32.const -1))

;; 26 base32 characters from `p`: the position after them, or -1. Two
  ;; overlapping 16-byte loads, each byte looked up in the alphabet's table.
  (func $ulid (param $p i32) (param $end i32) (result i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.add (local.get $p) (i32.const 26)) (local.get $end))
      (then (return (i32.const -1))))
    (if (i32.and
          (call $base32 (v128.load (local.get $p)))
          (call $base32 (v128.load offset=10 (local.get $p))))
      (then (return (i32.add (local.get $p) (i32.const 26)))))
    (i32.const -1))

;; 1 when all sixteen bytes are in the id alphabet: a byte's low nibble
  ;; picks a row of the table at 256 (one bit per high nibble 0-7 whose byte
  ;; is in the alphabet), its high nibble picks the bit (table at 272).
  (func $base32 (param $v v128) (result i32)
    (i8x16.all_true (v128.and
      (i8x16.swizzle (v128.load (i32.const 256))
        (v128.and (local.get $v) (i8x16.splat (i32.const 15))))
      (i8x16.swizzle (v128.load (i32.const 272)) (i8x16.shr_u (local.get $v) (i32.const 4))))))

  ;; `null` or a quoted 26-character id from `p`: the position after it, or -1.
  (func $idOrNull (param $p i32) (param $end i32) (result i32)
    (local $q i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 34))
      (then (return (call $lit (local.get $p) (local.get $end) (i32.const 9)))))
    (local.set $q (call $ulid (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.ge_u (local.get $q) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $q)) (i32.const 34)) (then (return (i32.const -1))))
    (i32.add (local.get $q) (i32.const 1)))

  ;; Whether `"event_type"` starts anywhere in [p, nl): quotes found
  ;; sixteen bytes at a time, the literal compared at those before an `e`.
  (func $typeKeyIn (param $p i32) (param $nl i32) (param $end i32) (result i32)
    (local $mask i32) (local $q i32)
    (block $none
      (loop $wide
        (br_if $none (i32.ge_u (local.get $p) (local.get $nl)))
        (local.set $mask (i8x16.bitmask
          (i8x16.eq (v128.load (local.get $p)) (i8x16.splat (i32.const 34)))))
        (block $next
          (loop $bits
            (br_if $next (i32.eqz (local.get $mask)))
            (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $mask))))
            (br_if $none (i32.ge_u (local.get $q) (local.get $nl)))
            (if (i32.eq (i32.load8_u offset=1 (local.get $q)) (i32.const 101))
              (then
                (if (i32.ge_s (call $lit (local.get $q) (local.get $end) (i32.const 12))
                      (i32.const 0))
                  (then (return (i32.const 1))))))
            (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
            (br $bits)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    (i32.const 0))

;; The payload from `p` (its `{` is read with the first key's literal),
  ;; by the `rows` rows at `table`, into the record at `rec` (slot 12 + a
  ;; row's slot: a name's id, -1 for null; a number, NaN for null; a flag
  ;; 0/1; 0 for checked text); slot 10 gets the rows left out (a bit per
  ;; slot). Returns the position after the last value, or -1.
  (func $payload (param $p i32) (param $end i32) (param $rec i32) (param $table i32)
    (param $rows i32) (result i32)
    (local $row i32) (local $at i32) (local $first i32) (local $kind i32)
    (local $flags i32) (local $q i32) (local $value f64) (local $missing i32)
    (local.set $first (i32.const 1))
    ;; no amount split yet (slots 29 and 30)
    (f64.store offset=232 (local.get $rec) (f64.const nan))
    (f64.store offset=240 (local.get $rec) (f64.const 0))
    (block $end
      (loop $each
        (br_if $end (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $at (i32.add (local.get $table) (i32.shl (local.get $row) (i32.const 4))))
        (local.set $flags (i32.load offset=12 (local.get $at)))
        (local.set $q (call $lit (local.get $p) (local.get $end)
          (select (i32.load (local.get $at)) (i32.load offset=4 (local.get $at))
            (local.get $first))))
        (if (i32.lt_s (local.get $q) (i32.const 0))
          (then
            ;; left out: a required row sends the line away; else its default
            (if (i32.and (local.get $flags) (i32.const 2)) (then (return (i32.const -1))))
            (global.set $exact (i32.const 0))
            (local.set $missing (i32.or (local.get $missing)
              (i32.shl (i32.const 1) (i32.shr_u (local.get $flags) (i32.const 8))))))
          (else
            (local.set $first (i32.const 0))
            (local.set $p (local.get $q))
            (local.set $kind (i32.load offset=8 (local.get $at)))
            (if (i32.and (i32.and (local.get $flags) (i32.const 1))
                  (i32.and (i32.lt_u (local.get $p) (local.get $end))
                    (i32.eq (i32.load8_u (local.get $p)) (i32.const 110))))
              (then
                (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 9)))
                (local.set $value (select (f64.const -1) (f64.const nan)
                  (i32.eqz (local.get $kind)))))
              (else
                (block $read
                  (block $integer
                    (block $text
                      (block $flag
                        (block $usd
                          (block $count
                            (block $name
                              (br_table $name $count $usd $flag $text $integer (local.get $kind)))
                            ;; name
                            (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
                            (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 34))
                              (then (return (i32.const -1))))
                            (local.set $q (call $nameId (i32.add (local.get $p) (i32.const 1))
                              (local.get $end)))
                            (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
                            (local.set $value (f64.convert_i32_u (global.get $id)))
                            (local.set $p (i32.add (local.get $q) (i32.const 1)))
                            (br $read))
                          ;; count
                          (local.set $p (call $count (local.get $p) (local.get $end)))
                          (local.set $value (global.get $num))
                          (br $read))
                        ;; usd: at most 1e12
                        (local.set $p (call $decimal (local.get $p) (local.get $end)))
                        (if (f64.gt (global.get $num) (f64.const 1e12)) (then (return (i32.const -1))))
                        (local.set $value (global.get $num))
                        (f64.store offset=232 (local.get $rec) (global.get $whole))
                        (f64.store offset=240 (local.get $rec) (global.get $femtos))
                        (br $read))
                      ;; flag
                      (if (i32.and (i32.lt_u (local.get $p) (local.get $end))
                            (i32.eq (i32.load8_u (local.get $p)) (i32.const 116)))
                        (then
                          (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 10)))
                          (local.set $value (f64.const 1)))
                        (else
                          (local.set $p (call $lit (local.get $p) (local.get $end) (i32.const 11)))
                          (local.set $value (f64.const 0))))
                      (br $read))
                    ;; text: checked, not kept
                    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
                    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 34))
                      (then (return (i32.const -1))))
                    (local.set $q (call $text (i32.add (local.get $p) (i32.const 1))
                      (local.get $end)))
                    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
                    (local.set $p (i32.add (local.get $q) (i32.const 1)))
                    (local.set $value (f64.const 0))
                    (br $read))
                  ;; integer
                  (local.set $p (call $int32 (local.get $p) (local.get $end)))
                  (local.set $value (global.get $num)))))
            (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
            (f64.store offset=96 (i32.add (local.get $rec)
              (i32.shl (i32.shr_u (local.get $flags) (i32.const 8)) (i32.const 3)))
              (local.get $value))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $each)))
    (f64.store offset=80 (local.get $rec) (f64.convert_i32_u (local.get $missing)))
    (local.get $p))

;; Forgets every name (the caller drops their ids too): slots emptied,
  ;; the name bytes and ids start over.
  (func (export "resetNames")
    (memory.fill (i32.const 8192) (i32.const 0) (i32.const 32768))
    (global.set $names (i32.const 0))
    (global.set $nameEnd (i32.const 106496)))

    ;; A line of another event type, its type's name at [p, q): kind 1 and
  ;; its end, unless "event_type" comes again on it. Returns where the next
  ;; line starts, or -1.
  (func $otherType (param $p i32) (param $q i32) (param $end i32) (param $rec i32) (result i32)
    (local $nl i32) (local $stop i32)
    (local.set $nl (call $newline (local.get $q) (local.get $end)))
    (if (call $typeKeyIn (local.get $p) (local.get $nl) (local.get $end))
      (then (return (i32.const -1))))
    (local.set $stop (local.get $nl))
    (if (i32.and (i32.lt_u (local.get $nl) (local.get $end))
          (i32.eq (i32.load8_u (i32.sub (local.get $nl) (i32.const 1))) (i32.const 13)))
      (then (local.set $stop (i32.sub (local.get $nl) (i32.const 1)))))
    (f64.store (local.get $rec) (f64.const 1))
    (f64.store offset=16 (local.get $rec) (f64.convert_i32_u (local.get $stop)))
    (select (local.get $end) (i32.add (local.get $nl) (i32.const 1))
      (i32.ge_u (local.get $nl) (local.get $end))))

  ;; The 52-bit hash of the 26-character id at `p` (`hash26` in
  ;; src/cost/id_hash.ts, the same arithmetic: case folded, two 32-bit
  ;; mixes joined), for counting each event once without JS per line.
  (func $idHash (param $p i32) (result f64)
    (local $a i32) (local $c i32) (local $w i32)
    (local.set $a (i32.const 0x811c9dc5))
    (local.set $c (i32.const 0x1b873593))
    (local.set $w (i32.or (i32.load offset=0 (local.get $p)) (i32.const 0x20202020)))
    (local.set $a (i32.mul (i32.xor (local.get $a) (local.get $w)) (i32.const 0x01000193)))
    (local.set $c (i32.mul (i32.xor (local.get $c) (local.get $w)) (i32.const 0x5bd1e995)))
    (local.set $w (i32.or (i32.load offset=4 (local.get $p)) (i32.const 0x20202020)))
    (local.set $a (i32.mul (i32.xor (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15)))
      (local.get $w)) (i32.const 0x01000193)))
    (local.set $c (i32.mul (i32.xor (i32.xor (local.get $c) (i32.shr_u (local.get $c) (i32.const 13)))
      (local.get $w)) (i32.const 0x5bd1e995)))
    (local.set $w (i32.or (i32.load offset=8 (local.get $p)) (i32.const 0x20202020)))
    (local.set $a (i32.mul (i32.xor (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15)))
      (local.get $w)) (i32.const 0x01000193)))
    (local.set $c (i32.mul (i32.xor (i32.xor (local.get $c) (i32.shr_u (local.get $c) (i32.const 13)))
      (local.get $w)) (i32.const 0x5bd1e995)))
    (local.set $w (i32.or (i32.load offset=12 (local.get $p)) (i32.const 0x20202020)))
    (local.set $a (i32.mul (i32.xor (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15)))
      (local.get $w)) (i32.const 0x01000193)))
    (local.set $c (i32.mul (i32.xor (i32.xor (local.get $c) (i32.shr_u (local.get $c) (i32.const 13)))
      (local.get $w)) (i32.const 0x5bd1e995)))
    (local.set $w (i32.or (i32.load offset=16 (local.get $p)) (i32.const 0x20202020)))
    (local.set $a (i32.mul (i32.xor (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15)))
      (local.get $w)) (i32.const 0x01000193)))
    (local.set $c (i32.mul (i32.xor (i32.xor (local.get $c) (i32.shr_u (local.get $c) (i32.const 13)))
      (local.get $w)) (i32.const 0x5bd1e995)))
    (local.set $w (i32.or (i32.load offset=20 (local.get $p)) (i32.const 0x20202020)))
    (local.set $a (i32.mul (i32.xor (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15)))
      (local.get $w)) (i32.const 0x01000193)))
    (local.set $c (i32.mul (i32.xor (i32.xor (local.get $c) (i32.shr_u (local.get $c) (i32.const 13)))
      (local.get $w)) (i32.const 0x5bd1e995)))
    (local.set $w (i32.or (i32.load16_u offset=24 (local.get $p)) (i32.const 0x2020)))
    (local.set $a (i32.mul (i32.xor (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15)))
      (local.get $w)) (i32.const 0x01000193)))
    (local.set $c (i32.mul (i32.xor (i32.xor (local.get $c) (i32.shr_u (local.get $c) (i32.const 13)))
      (local.get $w)) (i32.const 0x5bd1e995)))
    (f64.add
      (f64.mul (f64.convert_i32_u (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15))))
        (f64.const 1048576))
      (f64.convert_i32_u (i32.shr_u (i32.xor (local.get $c) (i32.shr_u (local.get $c) (i32.const 13)))
        (i32.const 12)))))

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
  ;; execution event), 1 the line's start, 2 its end (its "\n" or "\r\n",
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
        (f64.store offset=24 (local.get $rec) (f64.convert_i32_u (local.get $next)))
        (local.set $start (local.get $next))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $line)))
    (local.get $count))
)
