;; A part of the kernel's one module (see 00_module.wat).
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

  ;; The timestamp body [p, q) as epoch milliseconds, when it is spelled
  ;; YYYY-MM-DDTHH:MM:SS, an optional fraction of 1 to 9 digits, then Z, with
  ;; a year from 1000 and a valid date and time: RFC 3339 (`isRfc3339Bytes`
  ;; holds), and the value `isoBytesMs` gives (microseconds kept, further
  ;; digits cut). NaN for every other spelling: the caller reads it.
  (func $time (param $p i32) (param $q i32) (result f64)
    (local $y i32) (local $mo i32) (local $d i32) (local $h i32) (local $mi i32) (local $s i32)
    (local $i i32) (local $n i32) (local $micro i32) (local $dim i32) (local $yoe i32)
    (local $days i64) (local $ms f64) (local $v v128) (local $t v128)
    (if (i32.lt_s (i32.sub (local.get $q) (local.get $p)) (i32.const 20))
      (then (return (f64.const nan))))
    ;; YYYY-MM-DDTHH:MM: as one 16-byte load: the separators compared at
    ;; once, the twelve digits checked at once, gathered by a swizzle and
    ;; joined in pairs (x10); then ":SS" at 16
    (local.set $v (v128.load (local.get $p)))
    (local.set $t (i8x16.sub (local.get $v) (i8x16.splat (i32.const 48))))
    (if (i32.or
          (i32.ne (i32.and (i8x16.bitmask (i8x16.le_u (local.get $t) (i8x16.splat (i32.const 9))))
            (i32.const 0xdb6f)) (i32.const 0xdb6f))
          (i32.ne (i32.and (i8x16.bitmask (i8x16.eq (local.get $v)
            (v128.const i8x16 0 0 0 0 45 0 0 45 0 0 84 0 0 58 0 0))) (i32.const 0x2490))
            (i32.const 0x2490)))
      (then (return (f64.const nan))))
    (local.set $t (i8x16.swizzle (local.get $t)
      (v128.const i8x16 0 1 2 3 5 6 8 9 11 12 14 15 128 128 128 128)))
    ;; (a + 256 b) * 0xa01 has 10 a + b in its high byte (see $count)
    (local.set $t (i16x8.shr_u (i16x8.mul (local.get $t) (i16x8.splat (i32.const 0xa01)))
      (i32.const 8)))
    (local.set $y (i32.add (i32.mul (i16x8.extract_lane_u 0 (local.get $t)) (i32.const 100))
      (i16x8.extract_lane_u 1 (local.get $t))))
    (local.set $mo (i16x8.extract_lane_u 2 (local.get $t)))
    (local.set $d (i16x8.extract_lane_u 3 (local.get $t)))
    (local.set $h (i16x8.extract_lane_u 4 (local.get $t)))
    (local.set $mi (i16x8.extract_lane_u 5 (local.get $t)))
    (if (i32.ne (i32.load8_u offset=16 (local.get $p)) (i32.const 58)) (then (return (f64.const nan))))
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
  ;; backslash or a control character). Bytes >= 0x80 clear $exact. Runs of
  ;; plain bytes are passed sixteen at a time (a transcript is long).
  (func $text (param $p i32) (param $end i32) (result i32)
    (local $c i32) (local $v v128) (local $stop i32) (local $high i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (block $bad
      (loop $each
        (block $narrow
          (loop $wide
            (br_if $narrow (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $stop (i8x16.bitmask (v128.or
              (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92))))
              (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32))))))
            (local.set $high (i8x16.bitmask (local.get $v)))
            (if (local.get $stop)
              (then
                ;; the bytes before the stop, then the stop byte by itself
                (if (i32.and (local.get $high)
                      (i32.sub (i32.shl (i32.const 1) (i32.ctz (local.get $stop))) (i32.const 1)))
                  (then (global.set $exact (i32.const 0))))
                (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $stop))))
                (br $narrow)))
            (if (local.get $high) (then (global.set $exact (i32.const 0))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $wide)))
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

