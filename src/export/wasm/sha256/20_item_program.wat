  ;; The item writer's walk of a line and its program (see 10_items.wat).

  ;; Cuts the `len` bytes of the line at `at` into leaves; returns how
  ;; many, or -1 when it is not the layout of the gaps (`setLeaves`): the
  ;; text between two values (a key, and the payload's opening) is known, so
  ;; only the values are walked, each ended by its closing quote (a string)
  ;; or the comma or brace after it.
  (func $leaves (param $at i32) (param $len i32) (result i32)
    (local $p i32) (local $end i32) (local $k i32) (local $m i32) (local $e i32)
    (local $quote v128) (local $backslash v128) (local $comma v128) (local $brace v128)
    (local.set $quote (i8x16.splat (i32.const 0x22)))
    (local.set $backslash (i8x16.splat (i32.const 0x5c)))
    (local.set $comma (i8x16.splat (i32.const 0x2c)))
    (local.set $brace (i8x16.splat (i32.const 0x7d)))
    (local.set $p (local.get $at))
    (local.set $end (i32.add (local.get $at) (local.get $len)))
    (block $bad
      (loop $value
        (local.set $e (i32.add (i32.const 65536) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $p (i32.add (local.get $p) (i32.load offset=71168 (i32.shl (local.get $k) (i32.const 2)))))
        (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $bad (i32.ne (i32.load8_u (i32.sub (local.get $p) (i32.const 1))) (i32.const 0x3a)))
        (i32.store (local.get $e) (local.get $p))
        (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x22))
          (then
            ;; A string: to the quote no backslash escapes, sixteen bytes a look.
            (loop $text
              (local.set $m (i8x16.bitmask (v128.or
                (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $quote))
                (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $backslash)))))
              (if (i32.eqz (local.get $m))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 16)))
                  (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
                  (br $text)))
              (local.set $p (i32.add (i32.add (local.get $p) (i32.const 1)) (i32.ctz (local.get $m))))
              (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
              ;; A backslash: the byte after it is taken, the look goes on after that.
              (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x5c))
                (then (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $text))))
            (local.set $p (i32.add (local.get $p) (i32.const 1))))
          (else
            ;; A number or literal: to the comma or brace after it.
            (loop $scalar
              (local.set $m (i8x16.bitmask (v128.or
                (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $comma))
                (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $brace)))))
              (if (i32.eqz (local.get $m))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 16)))
                  (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
                  (br $scalar))))
            (local.set $p (i32.add (i32.add (local.get $p) (i32.const 1)) (i32.ctz (local.get $m))))
            (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))))
        (i32.store offset=4 (local.get $e) (local.get $p))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $value (i32.lt_u (local.get $k) (global.get $leafCount))))
      ;; Then the objects' closing braces, and nothing more.
      (br_if $bad (i32.ne (i32.add (local.get $p) (global.get $tail)) (local.get $end)))
      (return (local.get $k)))
    (i32.const -1))

  ;; Where leaf `k` starts, and ends.
  (func $from (param $k i32) (result i32)
    (i32.load (i32.add (i32.const 65536) (i32.shl (local.get $k) (i32.const 3)))))
  (func $to (param $k i32) (result i32)
    (i32.load offset=4 (i32.add (i32.const 65536) (i32.shl (local.get $k) (i32.const 3)))))
  ;; Whether leaf `k` is `null`.
  (func $null (param $k i32) (result i32)
    (i32.eq (i32.load8_u (call $from (local.get $k))) (i32.const 0x6e)))
  ;; Arg `k`.
  (func $arg (param $k i32) (result f64)
    (f64.load (i32.add (i32.const 66048) (i32.shl (local.get $k) (i32.const 3)))))

  ;; An attribute's opening at `at`: piece `after` (the closing of a value
  ;; `}}`, a comma, the key) or, after an int, piece `afterInt` (`"}}`
  ;; first); before the first attribute, the closing and comma left out.
  ;; `int`: this one's value is an int (quoted). Returns where it ends.
  (func $open (param $after i32) (param $afterInt i32) (param $int i32) (param $at i32) (result i32)
    (local $e i32) (local $skip i32)
    (local.set $e (i32.add (i32.const 73728) (i32.shl
      (select (local.get $afterInt) (local.get $after) (i32.eq (global.get $closer) (i32.const 2)))
      (i32.const 3))))
    (local.set $skip (select (i32.const 3) (i32.const 0) (i32.eqz (global.get $closer))))
    (global.set $closer (i32.add (i32.const 1) (local.get $int)))
    (call $copy (local.get $at)
      (i32.add (i32.load (local.get $e)) (local.get $skip))
      (i32.sub (i32.load offset=4 (local.get $e)) (local.get $skip))))

  ;; A leaf's integer (an optional minus and at most 12 digits), or -2^63 when it is not one.
  (func $integer (param $k i32) (result i64)
    (local $p i32) (local $end i32) (local $v i64) (local $minus i32) (local $c i32)
    (local.set $p (call $from (local.get $k)))
    (local.set $end (call $to (local.get $k)))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x2d))
      (then (local.set $minus (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (if (i32.or (i32.ge_u (local.get $p) (local.get $end))
          (i32.gt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 12)))
      (then (return (i64.const 0x8000000000000000))))
    (loop $digit
      (local.set $c (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)))
      (if (i32.gt_u (local.get $c) (i32.const 9)) (then (return (i64.const 0x8000000000000000))))
      (local.set $v (i64.add (i64.mul (local.get $v) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $digit (i32.lt_u (local.get $p) (local.get $end))))
    (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (local.get $minus)))

  ;; Writes one item of the `len` bytes of line at `line` at the event's
  ;; time `micros`, by the program, at `to` (0: at the end of out); returns
  ;; where it ends, or -1 when the program cannot write it (nothing is then
  ;; counted). An item at `to` is not noted in STARTS: the caller notes it.
  ;; `python`: the line is not verbatim; only the Python layout's walk may take it.
  (func (export "item") (param $line i32) (param $len i32) (param $micros f64) (param $to i32)
    (param $python i32) (result i32)
    (local $at i32) (local $op i32) (local $pc i32) (local $a i32) (local $b i32) (local $c i32)
    (local $holes i32) (local $v i64) (local $x f64) (local $t i32)
    ;; Where the last time written in this item starts, and its length (for a = -2).
    (local $timeAt i32) (local $timeLen i32)
    (if (i32.lt_s
          (if (result i32) (local.get $python)
            (then (call $pythonLeaves (local.get $line) (local.get $len)))
            (else (call $leaves (local.get $line) (local.get $len))))
          (i32.const 0))
      (then (return (i32.const -1))))
    (local.set $holes (global.get $holes))
    (local.set $at (select (local.get $to) (i32.add (i32.const 393216) (global.get $pending))
      (local.get $to)))
    (local.set $pc (i32.const 66560))
    (block $fail
      (block $end
        (loop $step
          (local.set $op (i32.load (local.get $pc)))
          (local.set $a (i32.load offset=4 (local.get $pc)))
          (local.set $b (i32.load offset=8 (local.get $pc)))
          (local.set $c (i32.load offset=12 (local.get $pc)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
          (block $next
            (block $ifFalse (block $usd (block $int (block $argPiece (block $ids (block $nanos
              (block $inner (block $leaf (block $piece
                (br_table $end $piece $leaf $inner $nanos $ids $argPiece $int $usd $ifFalse $ifFalse $ifFalse $ifFalse $fail
                  (local.get $op)))
              ;; 1: piece a.
              (local.set $at (call $piece (local.get $a) (local.get $at)))
              (br $next))
              ;; 2: attribute: leaf a (low 16 bits; bit 16: an int) as it stands, opened by
              ;; b or c (see $open); nothing if null.
              (local.set $t (i32.load (i32.add (i32.const 65536)
                (i32.shl (i32.and (local.get $a) (i32.const 0xffff)) (i32.const 3)))))
              (br_if $next (i32.eq (i32.load8_u (local.get $t)) (i32.const 0x6e)))
              (local.set $at (call $open (local.get $b) (local.get $c)
                (i32.shr_u (local.get $a) (i32.const 16)) (local.get $at)))
              (local.set $at (call $copy (local.get $at) (local.get $t)
                (i32.sub (i32.load offset=4 (i32.add (i32.const 65536)
                  (i32.shl (i32.and (local.get $a) (i32.const 0xffff)) (i32.const 3))))
                  (local.get $t))))
              (br $next))
            ;; 3: string leaf a without its quotes.
            (local.set $t (call $from (local.get $a)))
            (br_if $fail (i32.ne (i32.load8_u (local.get $t)) (i32.const 0x22)))
            (local.set $at (call $copy (local.get $at) (i32.add (local.get $t) (i32.const 1))
              (i32.sub (i32.sub (call $to (local.get $a)) (local.get $t)) (i32.const 2))))
            (br $next))
            ;; 4: nanoseconds of the time less leaf a's milliseconds (a = -1 or null: none;
            ;; a = -2: the last time written in this item, its bytes copied).
            (if (i32.eq (local.get $a) (i32.const -2))
              (then
                (local.set $at (call $copy (local.get $at) (local.get $timeAt) (local.get $timeLen)))
                (br $next)))
            (local.set $timeAt (local.get $at))
            (local.set $v (i64.trunc_f64_s (local.get $micros)))
            (if (i32.ge_s (local.get $a) (i32.const 0))
              (then
                (if (i32.eqz (call $null (local.get $a)))
                  (then
                    (local.set $x (f64.convert_i64_s (call $integer (local.get $a))))
                    (br_if $fail (f64.lt (local.get $x) (f64.const -1e12)))
                    (local.set $v (i64.sub (local.get $v)
                      (i64.mul (i64.trunc_f64_s (local.get $x)) (i64.const 1000))))))))
            (local.set $at (call $nanos (local.get $v) (local.get $at)))
            (local.set $timeLen (i32.sub (local.get $at) (local.get $timeAt)))
            (br $next))
            ;; 5: the ids of leaf a (a 26-byte string): trace id, piece b, span id, hashed later.
            (local.set $t (call $from (local.get $a)))
            (br_if $fail (i32.ne (i32.sub (call $to (local.get $a)) (local.get $t)) (i32.const 28)))
            (br_if $fail (i32.ne (i32.load8_u (local.get $t)) (i32.const 0x22)))
            ;; 26 bytes: three words and two bytes (the lane's padding after them is the kernel's).
            (local.set $c (i32.add (i32.const 4096) (i32.shl (local.get $holes) (i32.const 6))))
            (i64.store (local.get $c) (i64.load offset=1 (local.get $t)))
            (i64.store offset=8 (local.get $c) (i64.load offset=9 (local.get $t)))
            (i64.store offset=16 (local.get $c) (i64.load offset=17 (local.get $t)))
            (i32.store16 offset=24 (local.get $c) (i32.load16_u offset=25 (local.get $t)))
            (i32.store (i32.add (i32.const 70656) (i32.shl (local.get $holes) (i32.const 3)))
              (local.get $at))
            (local.set $at (call $piece (local.get $b) (i32.add (local.get $at) (i32.const 32))))
            (i32.store offset=4 (i32.add (i32.const 70656) (i32.shl (local.get $holes) (i32.const 3)))
              (local.get $at))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $holes (i32.add (local.get $holes) (i32.const 1)))
            (br $next))
            ;; 6: attribute: the piece arg a names, opened by b or c (nothing if the arg is < 0).
            (local.set $x (call $arg (local.get $a)))
            (br_if $next (i32.eqz (f64.ge (local.get $x) (f64.const 0))))
            (local.set $at (call $open (local.get $b) (local.get $c) (i32.const 0) (local.get $at)))
            (local.set $at (call $piece (i32.trunc_f64_u (local.get $x)) (local.get $at)))
            (br $next))
          ;; 7: attribute: integer arg a, opened by b or c (nothing if NaN).
          (local.set $x (call $arg (local.get $a)))
          (br_if $next (f64.ne (local.get $x) (local.get $x)))
          (local.set $at (call $open (local.get $b) (local.get $c) (i32.const 1) (local.get $at)))
          (local.set $at (call $signed (i64.trunc_f64_s (local.get $x)) (local.get $at)))
          (br $next))
          ;; 8: attribute: arg a's millionths as dollars, opened by b or c (nothing if NaN).
          (local.set $x (call $arg (local.get $a)))
          (br_if $next (f64.ne (local.get $x) (local.get $x)))
          (local.set $at (call $open (local.get $b) (local.get $c) (i32.const 0) (local.get $at)))
          (local.set $at (call $usd (i64.trunc_f64_u (local.get $x)) (local.get $at)))
          (br $next))
          ;; 9: piece b when leaf a is `false`, else piece c (if any); 10: attributes begin;
          ;; 11: leaf a must be null; 12: attributes end (the last value's closing), then piece a.
          (if (i32.eq (local.get $op) (i32.const 10))
            (then (global.set $closer (i32.const 0)) (br $next)))
          (if (i32.eq (local.get $op) (i32.const 12))
            (then
              ;; "}}, or }} (little-endian).
              (i32.store (local.get $at) (select (i32.const 0x7d7d22) (i32.const 0x7d7d)
                (i32.eq (global.get $closer) (i32.const 2))))
              (local.set $at (i32.add (local.get $at)
                (select (i32.const 3) (i32.const 2) (i32.eq (global.get $closer) (i32.const 2)))))
              (if (i32.eqz (global.get $closer)) (then (local.set $at (i32.sub (local.get $at) (i32.const 2)))))
              (local.set $at (call $piece (local.get $a) (local.get $at)))
              (br $next)))
          (if (i32.eq (local.get $op) (i32.const 11))
            (then (br_if $fail (i32.eqz (call $null (local.get $a)))) (br $next)))
          (if (i32.eq (i32.load8_u (call $from (local.get $a))) (i32.const 0x66))
            (then (local.set $at (call $piece (local.get $b) (local.get $at))))
            (else
              (if (i32.ge_s (local.get $c) (i32.const 0))
                (then (local.set $at (call $piece (local.get $c) (local.get $at)))))))
          (br $next))
          (br $step)))
      ;; The item is written: it counts.
      (global.set $holes (local.get $holes))
      (if (i32.eq (local.get $holes) (i32.const 4)) (then (call $fill)))
      (if (local.get $to) (then (return (local.get $at))))
      (i32.store (i32.add (i32.const 327680) (i32.shl (global.get $items) (i32.const 2)))
        (global.get $pending))
      (global.set $items (i32.add (global.get $items) (i32.const 1)))
      (global.set $pending (i32.sub (local.get $at) (i32.const 393216)))
      (return (local.get $at)))
    (i32.const -1))

  ;; Hashes the ids waiting (four lanes at once, the unused ones stale) into their places.
  (func $fill
    (local $k i32) (local $hole i32)
    (if (i32.eqz (global.get $holes)) (then (return)))
    (call $ids4)
    (loop $each
      (local.set $hole (i32.add (i32.const 70656) (i32.shl (local.get $k) (i32.const 3))))
      (drop (call $copy (i32.load (local.get $hole))
        (i32.add (i32.const 4352) (i32.mul (local.get $k) (i32.const 48))) (i32.const 32)))
      (drop (call $copy (i32.load offset=4 (local.get $hole))
        (i32.add (i32.const 4384) (i32.mul (local.get $k) (i32.const 48))) (i32.const 16)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $k) (global.get $holes))))
    (global.set $holes (i32.const 0)))

  ;; Fills the ids waiting; returns the bytes in out and how many items
  ;; (`items()`); `reset` empties out after they are taken.
  (func (export "finish") (result i32)
    (call $fill)
    (global.get $pending))
  (func (export "items") (result i32) (global.get $items))
  (func (export "reset")
    (call $fill)
    (global.set $pending (i32.const 0))
    (global.set $items (i32.const 0)))
