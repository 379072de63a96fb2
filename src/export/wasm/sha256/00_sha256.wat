;; SHA-256 (FIPS 180-4) of one short message, for the trace and span ids an
;; export derives from each event id (see ../otlp_ids.ts: the ids must stay
;; what they are, backends de-duplicate on them). Hand-written; `deno task
;; wasm` assembles it with the pinned wabt into sha256.wasm and
;; sha256_wasm.ts (base64, so `deno compile` and `deno run <url>` carry it).
;;
;; `ids4` hashes four 26-byte ids at once, one in each lane of 128-bit
;; vectors (SIMD): the same rounds on four messages of one length.
;;
;; Memory layout (the first page; the module is joined with 10_items.wat, the
;; export's item writer, which uses the pages after it):
;;   0..63      the message (the caller writes at most 55 bytes), padded here
;;   128..255   1 for each ASCII byte a ULID may hold (Crockford's base 32, either case)
;;   256..271   the hex digits
;;   512..767   the round constants K
;;   768..1023  the message schedule W
;;   1024..1535 "00" to "ff", a byte's two hex digits
;;   4096..4351 `ids4`'s four messages, 64 bytes apart (26 bytes each)
;;   4352..4543 `ids4`'s out: per message 48 hex digits (the trace id's 32, the span id's 16)
;;   5120..6143 `ids4`'s schedule, four words a vector
;;   8192..65535 frames: the caller's text around the hex digits `ids` writes
;;   65536..    the item writer's (see 10_items.wat)
(module
  (memory (export "memory") 457 457 shared)

  (data (i32.const 128)
    ;; "0"-"9"
    "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00"
    "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\01\01\01\01\01\01\01\01\01\01\00\00\00\00\00\00"
    ;; "A"-"Z" and "a"-"z" but I, L, O, U
    "\00\01\01\01\01\01\01\01\01\00\01\01\00\01\01\00\01\01\01\01\01\00\01\01\01\01\01\00\00\00\00\00"
    "\00\01\01\01\01\01\01\01\01\00\01\01\00\01\01\00\01\01\01\01\01\00\01\01\01\01\01\00\00\00\00\00")
  (data (i32.const 256) "0123456789abcdef")
  (data (i32.const 1024)
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
  (data (i32.const 512)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")

  ;; A big-endian word of the message at `at`.
  (func $word (param $at i32) (result i32)
    (local $x i32)
    (local.set $x (i32.load (local.get $at)))
    (i32.or
      (i32.and (i32.rotl (local.get $x) (i32.const 8)) (i32.const 0x00ff00ff))
      (i32.and (i32.rotr (local.get $x) (i32.const 8)) (i32.const 0xff00ff00))))

  ;; Word 6 of a 26-byte message whose bytes 24 and 25 are at `at`: them, 0x80, 0.
  (func $tail (param $at i32) (result i32)
    (i32.or
      (i32.or
        (i32.shl (i32.load8_u (local.get $at)) (i32.const 24))
        (i32.shl (i32.load8_u offset=1 (local.get $at)) (i32.const 16)))
      (i32.const 0x8000)))

  ;; The eight hex digits of `w` at `at`, a byte's two at a time (the pairs at 1024).
  (func $hex (param $w i32) (param $at i32)
    (i32.store16 (local.get $at)
      (i32.load16_u offset=1024 (i32.shl (i32.shr_u (local.get $w) (i32.const 24)) (i32.const 1))))
    (i32.store16 offset=2 (local.get $at)
      (i32.load16_u offset=1024 (i32.and (i32.shr_u (local.get $w) (i32.const 15)) (i32.const 0x1fe))))
    (i32.store16 offset=4 (local.get $at)
      (i32.load16_u offset=1024 (i32.and (i32.shr_u (local.get $w) (i32.const 7)) (i32.const 0x1fe))))
    (i32.store16 offset=6 (local.get $at)
      (i32.load16_u offset=1024 (i32.and (i32.shl (local.get $w) (i32.const 1)) (i32.const 0x1fe)))))

  ;; A 26-byte id at `at` that is a ULID (each byte one of its letters) in upper case.
  (func $ulid (param $at i32)
    (local $i i32) (local $c i32) (local $any i32) (local $ok i32) (local $v v128)
    ;; Every byte is checked (no branch per byte); a byte past ASCII shows in `any`.
    (local.set $ok (i32.const 1))
    (loop $check
      (local.set $c (i32.load8_u (i32.add (local.get $at) (local.get $i))))
      (local.set $any (i32.or (local.get $any) (local.get $c)))
      (local.set $ok
        (i32.and (local.get $ok) (i32.load8_u offset=128 (i32.and (local.get $c) (i32.const 127)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $check (i32.lt_u (local.get $i) (i32.const 26))))
    (if (i32.or (i32.eqz (local.get $ok)) (i32.ge_u (local.get $any) (i32.const 128)))
      (then (return)))
    ;; Bytes 0-15, then 10-25 (a letter upper-cased twice stays upper case): a-z lose 0x20.
    (local.set $v (v128.load (local.get $at)))
    (v128.store (local.get $at)
      (i8x16.sub (local.get $v)
        (v128.and (i8x16.ge_u (local.get $v) (i8x16.splat (i32.const 0x61))) (i8x16.splat (i32.const 0x20)))))
    (local.set $v (v128.load offset=10 (local.get $at)))
    (v128.store offset=10 (local.get $at)
      (i8x16.sub (local.get $v)
        (v128.and (i8x16.ge_u (local.get $v) (i8x16.splat (i32.const 0x61))) (i8x16.splat (i32.const 0x20))))))

  ;; Pads the `len` bytes at `at` to a block: a 1 bit, zeros, the length in bits (big-endian).
  (func $pad (param $at i32) (param $len i32)
    (local $i i32) (local $v i32)
    (i32.store8 (i32.add (local.get $at) (local.get $len)) (i32.const 0x80))
    (local.set $i (i32.add (local.get $len) (i32.const 1)))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $i) (i32.const 60)))
        (i32.store8 (i32.add (local.get $at) (local.get $i)) (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $zero)))
    (local.set $v (i32.shl (local.get $len) (i32.const 3)))
    (i32.store offset=60 (local.get $at)
      (i32.or
        (i32.and (i32.rotl (local.get $v) (i32.const 8)) (i32.const 0x00ff00ff))
        (i32.and (i32.rotr (local.get $v) (i32.const 8)) (i32.const 0xff00ff00)))))

  ;; The ids' hex digits from the digest's first six words (an all-zero id ends in 1).
  (func $emit (param $trace i32) (param $span i32)
    (param $h0 i32) (param $h1 i32) (param $h2 i32) (param $h3 i32) (param $h4 i32) (param $h5 i32)
    (call $hex (local.get $h0) (local.get $trace))
    (call $hex (local.get $h1) (i32.add (local.get $trace) (i32.const 8)))
    (call $hex (local.get $h2) (i32.add (local.get $trace) (i32.const 16)))
    (call $hex (local.get $h3) (i32.add (local.get $trace) (i32.const 24)))
    (call $hex (local.get $h4) (local.get $span))
    (call $hex (local.get $h5) (i32.add (local.get $span) (i32.const 8)))
    (if (i32.eqz (i32.or (i32.or (local.get $h0) (local.get $h1)) (i32.or (local.get $h2) (local.get $h3))))
      (then (i32.store8 offset=31 (local.get $trace) (i32.const 0x31))))
    (if (i32.eqz (i32.or (local.get $h4) (local.get $h5)))
      (then (i32.store8 offset=15 (local.get $span) (i32.const 0x31)))))

  ;; Hashes the `len` bytes at 0 (at most 55), a 26-byte ULID in its upper
  ;; case (as normalizeEventId spells it), and writes the first 16 bytes of
  ;; the digest as hex at `trace` and the next 8 at `span` (the trace and
  ;; span ids); an id of all zeros ends in 1 instead.
  (func (export "ids") (param $len i32) (param $trace i32) (param $span i32)
    (local $t i32) (local $w i32) (local $v i32)
    (local $a i32) (local $b i32) (local $cc i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $t1 i32) (local $t2 i32)
    (local $h0 i32) (local $h1 i32) (local $h2 i32) (local $h3 i32) (local $h4 i32) (local $h5 i32)
    (if (i32.eq (local.get $len) (i32.const 26)) (then (call $ulid (i32.const 0))))
    (call $pad (i32.const 0) (local.get $len))
    ;; The schedule: 16 words of the block, then 48 derived.
    (local.set $t (i32.const 0))
    (loop $load
      (i32.store offset=768 (local.get $t) (call $word (local.get $t)))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (br_if $load (i32.lt_u (local.get $t) (i32.const 64))))
    (loop $extend
      (local.set $w (i32.load offset=708 (local.get $t))) ;; W[t-15]
      (local.set $v (i32.load offset=760 (local.get $t))) ;; W[t-2]
      (i32.store offset=768 (local.get $t)
        (i32.add
          (i32.add (i32.load offset=704 (local.get $t)) (i32.load offset=740 (local.get $t)))
          (i32.add
            (i32.xor
              (i32.xor (i32.rotr (local.get $w) (i32.const 7)) (i32.rotr (local.get $w) (i32.const 18)))
              (i32.shr_u (local.get $w) (i32.const 3)))
            (i32.xor
              (i32.xor (i32.rotr (local.get $v) (i32.const 17)) (i32.rotr (local.get $v) (i32.const 19)))
              (i32.shr_u (local.get $v) (i32.const 10))))))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (br_if $extend (i32.lt_u (local.get $t) (i32.const 256))))
    ;; 64 rounds from the initial hash value.
    (local.set $a (i32.const 0x6a09e667))
    (local.set $b (i32.const 0xbb67ae85))
    (local.set $cc (i32.const 0x3c6ef372))
    (local.set $d (i32.const 0xa54ff53a))
    (local.set $e (i32.const 0x510e527f))
    (local.set $f (i32.const 0x9b05688c))
    (local.set $g (i32.const 0x1f83d9ab))
    (local.set $h (i32.const 0x5be0cd19))
    (local.set $t (i32.const 0))
    (loop $round
      (local.set $t1
        (i32.add
          (i32.add (local.get $h)
            (i32.xor
              (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11)))
              (i32.rotr (local.get $e) (i32.const 25))))
          (i32.add
            (i32.xor (local.get $g)
              (i32.and (local.get $e) (i32.xor (local.get $f) (local.get $g))))
            (i32.add (i32.load offset=512 (local.get $t)) (i32.load offset=768 (local.get $t))))))
      (local.set $t2
        (i32.add
          (i32.xor
            (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13)))
            (i32.rotr (local.get $a) (i32.const 22)))
          (i32.or
            (i32.and (local.get $a) (local.get $b))
            (i32.and (local.get $cc) (i32.or (local.get $a) (local.get $b))))))
      (local.set $h (local.get $g))
      (local.set $g (local.get $f))
      (local.set $f (local.get $e))
      (local.set $e (i32.add (local.get $d) (local.get $t1)))
      (local.set $d (local.get $cc))
      (local.set $cc (local.get $b))
      (local.set $b (local.get $a))
      (local.set $a (i32.add (local.get $t1) (local.get $t2)))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (br_if $round (i32.lt_u (local.get $t) (i32.const 256))))
    ;; The first six words of the digest: the ids.
    (local.set $h0 (i32.add (local.get $a) (i32.const 0x6a09e667)))
    (local.set $h1 (i32.add (local.get $b) (i32.const 0xbb67ae85)))
    (local.set $h2 (i32.add (local.get $cc) (i32.const 0x3c6ef372)))
    (local.set $h3 (i32.add (local.get $d) (i32.const 0xa54ff53a)))
    (local.set $h4 (i32.add (local.get $e) (i32.const 0x510e527f)))
    (local.set $h5 (i32.add (local.get $f) (i32.const 0x9b05688c)))
    (call $emit (local.get $trace) (local.get $span)
      (local.get $h0) (local.get $h1) (local.get $h2) (local.get $h3) (local.get $h4) (local.get $h5)))

