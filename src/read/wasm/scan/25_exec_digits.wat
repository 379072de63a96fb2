;; A part of the kernel's one module (see 00_module.wat).
  ;; ---- digits: counts and fixed-width numbers ------------------------
  ;; Row n (0 to 15) of 16 bytes at 3584: the swizzle that moves the first n
  ;; bytes of a vector to its end, in order, and zeroes the rest ($count).
  (data (i32.const 3584)
    "\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80"
    "\80\80\80\80\80\80\80\80\80\80\80\80\80\80\80\00"
    "\80\80\80\80\80\80\80\80\80\80\80\80\80\80\00\01"
    "\80\80\80\80\80\80\80\80\80\80\80\80\80\00\01\02"
    "\80\80\80\80\80\80\80\80\80\80\80\80\00\01\02\03"
    "\80\80\80\80\80\80\80\80\80\80\80\00\01\02\03\04"
    "\80\80\80\80\80\80\80\80\80\80\00\01\02\03\04\05"
    "\80\80\80\80\80\80\80\80\80\00\01\02\03\04\05\06"
    "\80\80\80\80\80\80\80\80\00\01\02\03\04\05\06\07"
    "\80\80\80\80\80\80\80\00\01\02\03\04\05\06\07\08"
    "\80\80\80\80\80\80\00\01\02\03\04\05\06\07\08\09"
    "\80\80\80\80\80\00\01\02\03\04\05\06\07\08\09\0a"
    "\80\80\80\80\00\01\02\03\04\05\06\07\08\09\0a\0b"
    "\80\80\80\00\01\02\03\04\05\06\07\08\09\0a\0b\0c"
    "\80\80\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d"
    "\80\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e")

  ;; A non-negative integer of 1 to 15 digits, no leading zero, into $num.
  ;; One 16-byte load (the block is followed by padding it may touch; bytes
  ;; at or past `end` count as non-digits): the digits found by one compare,
  ;; moved to the vector's end by a swizzle, then joined in pairs (x10, one
  ;; multiply), in fours (x100, one dot product) and the four groups in i64.
  (func $count (param $p i32) (param $end i32) (result i32)
    (local $v v128) (local $n i32) (local $room i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.gt_s (local.get $p) (local.get $end)) (then (return (i32.const -1))))
    ;; + 0x50: the digits become 0x80-0x89, the least bytes as signed, found by one compare
    (local.set $v (i8x16.add (v128.load (local.get $p)) (i8x16.splat (i32.const 0x50))))
    (local.set $room (i32.sub (local.get $end) (local.get $p)))
    (local.set $n (i32.ctz (i32.or
      (i32.xor (i8x16.bitmask (i8x16.lt_s (local.get $v) (i8x16.splat (i32.const -118))))
        (i32.const 0xffff))
      (i32.shl (i32.const -1)
        (select (local.get $room) (i32.const 16) (i32.lt_s (local.get $room) (i32.const 16)))))))
    (if (i32.or (i32.eqz (local.get $n)) (i32.gt_u (local.get $n) (i32.const 15)))
      (then (return (i32.const -1))))
    ;; (a leading "0" is 0x80 now)
    (if (i32.and (i32.gt_u (local.get $n) (i32.const 1))
          (i32.eq (i8x16.extract_lane_u 0 (local.get $v)) (i32.const 0x80)))
      (then (return (i32.const -1))))
    ;; the digits' values (0x80 off) at the vector's end, the rest zero
    (local.set $v (i8x16.swizzle (v128.xor (local.get $v) (i8x16.splat (i32.const 0x80)))
      (v128.load offset=3584 (i32.shl (local.get $n) (i32.const 4)))))
    ;; pairs: (a + 256 b) * 0xa01 has 10 a + b in its high byte
    (local.set $v (i16x8.shr_u (i16x8.mul (local.get $v) (i16x8.splat (i32.const 0xa01)))
      (i32.const 8)))
    (local.set $v (i32x4.dot_i16x8_s (local.get $v) (v128.const i16x8 100 1 100 1 100 1 100 1)))
    (global.set $num (f64.convert_i64_u (i64.add
      (i64.mul
        (i64.extend_i32_u (i32.add (i32.mul (i32x4.extract_lane 0 (local.get $v)) (i32.const 10000))
          (i32x4.extract_lane 1 (local.get $v))))
        (i64.const 100000000))
      (i64.extend_i32_u (i32.add (i32.mul (i32x4.extract_lane 2 (local.get $v)) (i32.const 10000))
        (i32x4.extract_lane 3 (local.get $v)))))))
    (i32.add (local.get $p) (local.get $n)))

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

