;; A part of the kernel's one module (see 00_module.wat).
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
    (local $flags i32) (local $q i32) (local $value f64) (local $missing i32) (local $u i32)
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
            ;; a key the table does not have: skipped, then this row tried again
            (local.set $u (call $unknownPair (local.get $p) (local.get $end) (local.get $first)
              (local.get $table) (local.get $rows)))
            (if (i32.ge_s (local.get $u) (i32.const 0))
              (then
                (local.set $p (local.get $u))
                (local.set $first (i32.const 0))
                (global.set $exact (i32.const 0))
                (br $each)))
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
                (local.set $p (call $word (local.get $p) (local.get $end) (i32.const 0x6c6c756e)))
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
                          (local.set $p (call $word (local.get $p) (local.get $end) (i32.const 0x65757274)))
                          (local.set $value (f64.const 1)))
                        (else
                          ;; "fals", then "e"
                          (local.set $p (call $word (local.get $p) (local.get $end) (i32.const 0x736c6166)))
                          (if (i32.ge_s (local.get $p) (i32.const 0))
                            (then (local.set $p (select (i32.add (local.get $p) (i32.const 1)) (i32.const -1)
                              (i32.and (i32.lt_u (local.get $p) (local.get $end))
                                (i32.eq (i32.load8_u (local.get $p)) (i32.const 101)))))))
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
    ;; keys the table does not have after the last row
    (block $done
      (loop $after
        (local.set $u (call $unknownPair (local.get $p) (local.get $end) (local.get $first)
          (local.get $table) (local.get $rows)))
        (br_if $done (i32.lt_s (local.get $u) (i32.const 0)))
        (local.set $p (local.get $u))
        (local.set $first (i32.const 0))
        (global.set $exact (i32.const 0))
        (br $after)))
    (f64.store offset=80 (local.get $rec) (f64.convert_i32_u (local.get $missing)))
    (local.get $p))

;; The four bytes at `p` (a position in the block, not -1) when they are
  ;; `w` (little-endian: "null" is 0x6c6c756e): the position after them, or
  ;; -1. One load instead of a literal's table and masks (`null`, `true`).
  (func $word (param $p i32) (param $end i32) (param $w i32) (result i32)
    (select (i32.add (local.get $p) (i32.const 4)) (i32.const -1)
      (i32.and (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $end))
        (i32.eq (i32.load (local.get $p)) (local.get $w)))))

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

