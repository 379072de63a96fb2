  ;; Four ids at once (joined after 00_sha256.wat: the same module and memory layout).

  ;; Hashes the four 26-byte ids at 4096, 4160, 4224 and 4288 as `ids` does,
  ;; each in a lane, and writes each one's 48 hex digits (trace id, span id)
  ;; at 4352 + 48 x its place.
  (func $ids4 (export "ids4")
    (local $m i32) (local $t i32) (local $k i32)
    (local $w v128) (local $v v128) (local $t1 v128) (local $t2 v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $e v128) (local $f v128) (local $g v128) (local $h v128)
    (local.set $m (i32.const 4096))
    (loop $each
      (call $ulid (local.get $m))
      (local.set $m (i32.add (local.get $m) (i32.const 64)))
      (br_if $each (i32.lt_u (local.get $m) (i32.const 4352))))
    ;; Words 0-5 of each message, in its lane (messages at 4096 + 64 x lane).
    (loop $load
      (v128.store offset=5120 (i32.shl (local.get $t) (i32.const 2))
        (i32x4.replace_lane 3
          (i32x4.replace_lane 2
            (i32x4.replace_lane 1
              (i32x4.splat (call $word (i32.add (local.get $t) (i32.const 4096))))
              (call $word (i32.add (local.get $t) (i32.const 4160))))
            (call $word (i32.add (local.get $t) (i32.const 4224))))
          (call $word (i32.add (local.get $t) (i32.const 4288)))))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (br_if $load (i32.lt_u (local.get $t) (i32.const 24))))
    ;; The padding, written into the words rather than the messages: word 6 is
    ;; bytes 24 and 25, then 0x80 and a zero; 7-14 are zeros; 15 is the length
    ;; in bits (208).
    (v128.store offset=5216 (i32.const 0)
      (i32x4.replace_lane 3
        (i32x4.replace_lane 2
          (i32x4.replace_lane 1
            (i32x4.splat (call $tail (i32.const 4120)))
            (call $tail (i32.const 4184)))
          (call $tail (i32.const 4248)))
        (call $tail (i32.const 4312))))
    (local.set $t (i32.const 112))
    (loop $zeros
      (v128.store offset=5120 (local.get $t) (v128.const i32x4 0 0 0 0))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (br_if $zeros (i32.lt_u (local.get $t) (i32.const 240))))
    (v128.store offset=5360 (i32.const 0) (i32x4.splat (i32.const 208)))
    (local.set $t (i32.const 256))
    (loop $extend
      (local.set $w (v128.load offset=4880 (local.get $t))) ;; W[t-15]
      (local.set $v (v128.load offset=5088 (local.get $t))) ;; W[t-2]
      (v128.store offset=5120 (local.get $t)
        (i32x4.add
          (i32x4.add (v128.load offset=4864 (local.get $t)) (v128.load offset=5008 (local.get $t)))
          (i32x4.add
            (v128.xor (v128.xor (v128.or (i32x4.shr_u (local.get $w) (i32.const 7)) (i32x4.shl (local.get $w) (i32.const 25))) (v128.or (i32x4.shr_u (local.get $w) (i32.const 18)) (i32x4.shl (local.get $w) (i32.const 14))))
              (i32x4.shr_u (local.get $w) (i32.const 3)))
            (v128.xor (v128.xor (v128.or (i32x4.shr_u (local.get $v) (i32.const 17)) (i32x4.shl (local.get $v) (i32.const 15))) (v128.or (i32x4.shr_u (local.get $v) (i32.const 19)) (i32x4.shl (local.get $v) (i32.const 13))))
              (i32x4.shr_u (local.get $v) (i32.const 10))))))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (br_if $extend (i32.lt_u (local.get $t) (i32.const 1024))))
    (local.set $a (i32x4.splat (i32.const 0x6a09e667)))
    (local.set $b (i32x4.splat (i32.const 0xbb67ae85)))
    (local.set $c (i32x4.splat (i32.const 0x3c6ef372)))
    (local.set $d (i32x4.splat (i32.const 0xa54ff53a)))
    (local.set $e (i32x4.splat (i32.const 0x510e527f)))
    (local.set $f (i32x4.splat (i32.const 0x9b05688c)))
    (local.set $g (i32x4.splat (i32.const 0x1f83d9ab)))
    (local.set $h (i32x4.splat (i32.const 0x5be0cd19)))
    (loop $round
      (local.set $t1
        (i32x4.add
          (i32x4.add (local.get $h)
            (v128.xor (v128.xor (v128.or (i32x4.shr_u (local.get $e) (i32.const 6)) (i32x4.shl (local.get $e) (i32.const 26))) (v128.or (i32x4.shr_u (local.get $e) (i32.const 11)) (i32x4.shl (local.get $e) (i32.const 21)))) (v128.or (i32x4.shr_u (local.get $e) (i32.const 25)) (i32x4.shl (local.get $e) (i32.const 7)))))
          (i32x4.add
            (v128.xor (local.get $g) (v128.and (local.get $e) (v128.xor (local.get $f) (local.get $g))))
            (i32x4.add (i32x4.splat (i32.load offset=512 (local.get $k)))
              (v128.load offset=5120 (i32.shl (local.get $k) (i32.const 2)))))))
      (local.set $t2
        (i32x4.add
          (v128.xor (v128.xor (v128.or (i32x4.shr_u (local.get $a) (i32.const 2)) (i32x4.shl (local.get $a) (i32.const 30))) (v128.or (i32x4.shr_u (local.get $a) (i32.const 13)) (i32x4.shl (local.get $a) (i32.const 19)))) (v128.or (i32x4.shr_u (local.get $a) (i32.const 22)) (i32x4.shl (local.get $a) (i32.const 10))))
          (v128.or (v128.and (local.get $a) (local.get $b))
            (v128.and (local.get $c) (v128.or (local.get $a) (local.get $b))))))
      (local.set $h (local.get $g))
      (local.set $g (local.get $f))
      (local.set $f (local.get $e))
      (local.set $e (i32x4.add (local.get $d) (local.get $t1)))
      (local.set $d (local.get $c))
      (local.set $c (local.get $b))
      (local.set $b (local.get $a))
      (local.set $a (i32x4.add (local.get $t1) (local.get $t2)))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br_if $round (i32.lt_u (local.get $k) (i32.const 256))))
    (local.set $a (i32x4.add (local.get $a) (i32x4.splat (i32.const 0x6a09e667))))
    (local.set $b (i32x4.add (local.get $b) (i32x4.splat (i32.const 0xbb67ae85))))
    (local.set $c (i32x4.add (local.get $c) (i32x4.splat (i32.const 0x3c6ef372))))
    (local.set $d (i32x4.add (local.get $d) (i32x4.splat (i32.const 0xa54ff53a))))
    (local.set $e (i32x4.add (local.get $e) (i32x4.splat (i32.const 0x510e527f))))
    (local.set $f (i32x4.add (local.get $f) (i32x4.splat (i32.const 0x9b05688c))))
    (call $emit (i32.const 4352) (i32.const 4384)
      (i32x4.extract_lane 0 (local.get $a)) (i32x4.extract_lane 0 (local.get $b)) (i32x4.extract_lane 0 (local.get $c)) (i32x4.extract_lane 0 (local.get $d)) (i32x4.extract_lane 0 (local.get $e)) (i32x4.extract_lane 0 (local.get $f)))
    (call $emit (i32.const 4400) (i32.const 4432)
      (i32x4.extract_lane 1 (local.get $a)) (i32x4.extract_lane 1 (local.get $b)) (i32x4.extract_lane 1 (local.get $c)) (i32x4.extract_lane 1 (local.get $d)) (i32x4.extract_lane 1 (local.get $e)) (i32x4.extract_lane 1 (local.get $f)))
    (call $emit (i32.const 4448) (i32.const 4480)
      (i32x4.extract_lane 2 (local.get $a)) (i32x4.extract_lane 2 (local.get $b)) (i32x4.extract_lane 2 (local.get $c)) (i32x4.extract_lane 2 (local.get $d)) (i32x4.extract_lane 2 (local.get $e)) (i32x4.extract_lane 2 (local.get $f)))
    (call $emit (i32.const 4496) (i32.const 4528)
      (i32x4.extract_lane 3 (local.get $a)) (i32x4.extract_lane 3 (local.get $b)) (i32x4.extract_lane 3 (local.get $c)) (i32x4.extract_lane 3 (local.get $d)) (i32x4.extract_lane 3 (local.get $e)) (i32x4.extract_lane 3 (local.get $f))))
