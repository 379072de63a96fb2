;; A part of the kernel's one module (see 00_module.wat).
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

