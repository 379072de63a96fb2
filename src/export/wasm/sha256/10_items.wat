  ;; The item writer: one span or log record of the file export per call,
  ;; written from the line's own bytes (see ../item_kernel.ts, which compiles
  ;; the program from the attribute table, and ../../item_program.ts). The
  ;; line is one the readers vouched for as verbatim (`encodeEvent`'s text of
  ;; its event): its values are cut out in order ("leaves": every scalar,
  ;; the payload's included) and copied as they stand, since each one's text
  ;; is the JSON the item needs (a string with its quotes and escapes, a
  ;; number's shortest digits, `true`); what pricing says (provider, model,
  ;; cost) comes from JS per item as numbers and ids of pieces registered
  ;; once. Anything the program cannot write as the JS encoder would
  ;; (another layout, a null agent, a duration of more than 12 digits)
  ;; answers -1 before the item counts, and the JS path writes it.
  ;;
  ;; Memory layout (after the first page, the hash's):
  ;;   65536..66047   leaves: start and end (i32 each) of up to 64 values
  ;;   66048..66559   args: f64 x 64, what JS computed for the item (NaN: null)
  ;;   66560..70655   program: ops of four i32 (op, a, b, c)
  ;;   70656..70687   holes: where each waiting id's trace and span digits go
  ;;   70912..71111   "00" to "99"
  ;;   71168..71423   gaps: bytes before each leaf (i32 x 64)
  ;;   73728..106495  pieces: offset and length (i32 each) of up to 4096
  ;;   131072..262143 the pieces' bytes
  ;;   262144..327679 the line
  ;;   327680..344063 where each item written starts in out (i32 x 4096)
  ;;   393216..917503 out (512 KiB), then 64 KiB of slack
  ;;   1048576..      buffers the caller writes items into directly (BUFFER_COUNT)
  ;;   27787264..     a block of lines (BLOCK: 2 MiB), then 64 KiB of slack
  (global (export "LEAVES") i32 (i32.const 65536))
  (global (export "ARGS") i32 (i32.const 66048))
  (global (export "PROGRAM") i32 (i32.const 66560))
  (global (export "GAPS") i32 (i32.const 71168))
  (global (export "PIECES") i32 (i32.const 73728))
  (global (export "PIECE_BYTES") i32 (i32.const 131072))
  (global (export "LINE") i32 (i32.const 262144))
  (global (export "STARTS") i32 (i32.const 327680))
  (global (export "OUT") i32 (i32.const 393216))
  (global (export "OUT_BYTES") i32 (i32.const 524288))
  (global (export "BUFFERS") i32 (i32.const 1048576))
  (global (export "BUFFER_COUNT") i32 (i32.const 24))
  (global (export "BLOCK") i32 (i32.const 27787264))

  ;; How many leaves a line has (set by `setLeaves`).
  (global $leafCount (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  ;; Bytes written to out, items written, ids waiting.
  (global $pending (mut i32) (i32.const 0))
  (global $items (mut i32) (i32.const 0))
  (global $holes (mut i32) (i32.const 0))
  ;; What the last attribute of the item left to close: nothing (none yet), `}}`, or `"}}` (an int).
  (global $closer (mut i32) (i32.const 0))

  (data (i32.const 70912)
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899")

  ;; A line's leaves: how many, and the bytes after the last (the gap before
  ;; each is at GAPS, an i32 each).
  (func (export "setLeaves") (param $n i32) (param $tail i32)
    (global.set $leafCount (local.get $n))
    (global.set $tail (local.get $tail)))

  ;; Copies `len` bytes from `src` to `dst`, sixteen at a time (up to 15
  ;; more may be written: every place written to has room after it);
  ;; returns `dst + len`.
  (func $copy (param $dst i32) (param $src i32) (param $len i32) (result i32)
    (local $i i32)
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (v128.load (i32.add (local.get $src) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $words)))
    (i32.add (local.get $dst) (local.get $len)))

  ;; Piece `k` at `at`; returns where it ends.
  (func $piece (param $k i32) (param $at i32) (result i32)
    (local $e i32)
    (local.set $e (i32.add (i32.const 73728) (i32.shl (local.get $k) (i32.const 3))))
    (call $copy (local.get $at) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e))))

  ;; The digits of `x` (below 10^8) at `at`; returns where they end.
  (func $digits32 (param $x i32) (param $at i32) (result i32)
    (local $end i32) (local $q i32)
    (local.set $end (i32.add (local.get $at)
      (select (i32.const 1)
        (select (i32.const 2)
          (select (i32.const 3)
            (select (i32.const 4)
              (select (i32.const 5)
                (select (i32.const 6)
                  (select (i32.const 7) (i32.const 8) (i32.lt_u (local.get $x) (i32.const 10000000)))
                  (i32.lt_u (local.get $x) (i32.const 1000000)))
                (i32.lt_u (local.get $x) (i32.const 100000)))
              (i32.lt_u (local.get $x) (i32.const 10000)))
            (i32.lt_u (local.get $x) (i32.const 1000)))
          (i32.lt_u (local.get $x) (i32.const 100)))
        (i32.lt_u (local.get $x) (i32.const 10)))))
    (local.set $at (local.get $end))
    (block $short
      (loop $pairs
        (br_if $short (i32.lt_u (local.get $x) (i32.const 100)))
        (local.set $q (i32.div_u (local.get $x) (i32.const 100)))
        (local.set $at (i32.sub (local.get $at) (i32.const 2)))
        (i32.store16 (local.get $at) (i32.load16_u offset=70912
          (i32.shl (i32.sub (local.get $x) (i32.mul (local.get $q) (i32.const 100))) (i32.const 1))))
        (local.set $x (local.get $q))
        (br $pairs)))
    (if (i32.ge_u (local.get $x) (i32.const 10))
      (then
        (i32.store16 (i32.sub (local.get $at) (i32.const 2))
          (i32.load16_u offset=70912 (i32.shl (local.get $x) (i32.const 1)))))
      (else
        (i32.store8 (i32.sub (local.get $at) (i32.const 1))
          (i32.add (i32.const 0x30) (local.get $x)))))
    (local.get $end))

  ;; Eight digits, zeros first, of `x` (below 10^8) at `at`; returns where they end.
  (func $pad8 (param $x i32) (param $at i32) (result i32)
    (local $q i32) (local $i i32)
    (local.set $at (i32.add (local.get $at) (i32.const 8)))
    (loop $pairs
      (local.set $q (i32.div_u (local.get $x) (i32.const 100)))
      (local.set $at (i32.sub (local.get $at) (i32.const 2)))
      (i32.store16 (local.get $at) (i32.load16_u offset=70912
        (i32.shl (i32.sub (local.get $x) (i32.mul (local.get $q) (i32.const 100))) (i32.const 1))))
      (local.set $x (local.get $q))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $pairs (i32.lt_u (local.get $i) (i32.const 4))))
    (i32.add (local.get $at) (i32.const 8)))

  ;; The digits of `v` (at least 0) at `at`; returns where they end.
  (func $digits (param $v i64) (param $at i32) (result i32)
    (local $high i64)
    (if (result i32) (i64.lt_u (local.get $v) (i64.const 100000000))
      (then (call $digits32 (i32.wrap_i64 (local.get $v)) (local.get $at)))
      (else
        (local.set $high (i64.div_u (local.get $v) (i64.const 100000000)))
        (call $pad8
          (i32.wrap_i64 (i64.sub (local.get $v) (i64.mul (local.get $high) (i64.const 100000000))))
          (call $digits (local.get $high) (local.get $at))))))

  ;; `String(v)` of an integer at `at`; returns where it ends.
  (func $signed (param $v i64) (param $at i32) (result i32)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then
        (i32.store8 (local.get $at) (i32.const 0x2d))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (call $digits (local.get $v) (local.get $at)))

  ;; Nanoseconds as text from microseconds (`nanosText`): "0" (also before 1970), or the digits and 000.
  (func $nanos (param $micros i64) (param $at i32) (result i32)
    (if (result i32) (i64.le_s (local.get $micros) (i64.const 0))
      (then
        (i32.store8 (local.get $at) (i32.const 0x30))
        (i32.add (local.get $at) (i32.const 1)))
      (else
        (local.set $at (call $signed (local.get $micros) (local.get $at)))
        (i32.store16 (local.get $at) (i32.const 0x3030))
        (i32.store8 offset=2 (local.get $at) (i32.const 0x30))
        (i32.add (local.get $at) (i32.const 3)))))

  ;; `String(m / 1e6)` of whole millionths `m` (0 to 10^15): the whole
  ;; dollars, then a point and the fraction's digits, trailing zeros cut.
  (func $usd (param $m i64) (param $at i32) (result i32)
    (local $whole i64) (local $fraction i32) (local $places i32) (local $q i32)
    (local.set $whole (i64.div_u (local.get $m) (i64.const 1000000)))
    (local.set $fraction
      (i32.wrap_i64 (i64.sub (local.get $m) (i64.mul (local.get $whole) (i64.const 1000000)))))
    (local.set $at (call $digits (local.get $whole) (local.get $at)))
    (if (i32.eqz (local.get $fraction)) (then (return (local.get $at))))
    (local.set $places (i32.const 6))
    (block $cut
      (loop $zeros
        (local.set $q (i32.div_u (local.get $fraction) (i32.const 10)))
        (br_if $cut (i32.ne (i32.mul (local.get $q) (i32.const 10)) (local.get $fraction)))
        (local.set $fraction (local.get $q))
        (local.set $places (i32.sub (local.get $places) (i32.const 1)))
        (br $zeros)))
    (i32.store8 (local.get $at) (i32.const 0x2e))
    (local.set $at (i32.add (i32.add (local.get $at) (i32.const 1)) (local.get $places)))
    (local.set $q (local.get $at))
    (loop $fill
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (i32.store8 (local.get $q) (i32.add (i32.const 0x30)
        (i32.rem_u (local.get $fraction) (i32.const 10))))
      (local.set $fraction (i32.div_u (local.get $fraction) (i32.const 10)))
      (local.set $places (i32.sub (local.get $places) (i32.const 1)))
      (br_if $fill (local.get $places)))
    (local.get $at))

