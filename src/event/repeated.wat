;; Which id hashes occur more than once (see repeated_hashes.ts, its one
;; caller). Hand-written; `deno task wasm` assembles it with the
;; pinned wabt into repeated.wasm and repeated_wasm.ts (base64, so `deno
;; compile` and `deno run <url>` carry it).
;;
;; The hashes are integers in [0, 2^53) as doubles; two are the same hash
;; when their eight bytes are, so they are read as i64 and never converted.
;; Two steps, the caller growing the memory in between:
;;
;;   candidates  two passes over a bitmap of buckets (the top `bits` bits of
;;               a multiplicative hash): the first marks the buckets met
;;               twice, the second keeps the hashes in those (about a tenth)
;;   repeats     an open-addressing table of the kept ones: a hash found
;;               there is written out, once
;;
;; Memory layout (the caller's offsets, 8-byte aligned):
;;   0..8n          the n hashes (the caller copies them in); the kept ones,
;;                  then the repeated ones, are written over them from 0
;;   seen, shared   two bitmaps of 2^bits bits each (cleared here)
;;   table          2^tbits slots of 8 bytes (cleared here): 0 empty, else
;;                  the hash plus one, the top bit set once it is written out
(module
  (memory (export "memory") 1)

  ;; Fibonacci hashing's multiplier (2^64 / the golden ratio): buckets.
  (global $SPREAD i64 (i64.const 0x9E3779B97F4A7C15))
  ;; Another odd multiplier for the table's slots, so that a bucket's
  ;; hashes do not all start at one slot.
  (global $SLOT i64 (i64.const 0xC2B2AE3D27D4EB4F))
  (global $WRITTEN i64 (i64.const 0x8000000000000000))
  ;; +Infinity's bits: every non-negative finite double's are below.
  (global $INFINITY i64 (i64.const 0x7FF0000000000000))

  ;; Counts the n hashes at `from` in the bucket counters at `counts`: two
  ;; bits a bucket (2^bits of them), the low one set when a hash has fallen
  ;; in, the high one when a second has.
  (func (export "mark") (param $from i32) (param $n i32) (param $bits i32) (param $counts i32)
    (local $end i32) (local $bucket i32) (local $at i32) (local $word i32) (local $shift i32)
    (local $by i64)
    (local.set $by (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $bits))))
    (local.set $end (i32.add (local.get $from) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $bucket (i32.wrap_i64 (i64.shr_u
          (i64.mul (i64.load (local.get $from)) (global.get $SPREAD)) (local.get $by))))
        (local.set $at (i32.add (local.get $counts)
          (i32.shl (i32.shr_u (local.get $bucket) (i32.const 4)) (i32.const 2))))
        (local.set $word (i32.load (local.get $at)))
        (local.set $shift (i32.shl (i32.and (local.get $bucket) (i32.const 15)) (i32.const 1)))
        ;; The low bit if it is clear, else the high one.
        (i32.store (local.get $at) (i32.or (local.get $word) (i32.shl (i32.const 1)
          (i32.add (local.get $shift)
            (i32.and (i32.shr_u (local.get $word) (local.get $shift)) (i32.const 1))))))
        (local.set $from (i32.add (local.get $from) (i32.const 8)))
        (br $each)))
  )

  ;; Copies the hashes of the n at `from` whose bucket holds two or more to
  ;; `out`, in order; returns where the next one would go. Every repeated
  ;; hash is kept; what is no hash (negative, infinite, NaN) never is.
  (func (export "keep") (param $from i32) (param $n i32) (param $bits i32) (param $counts i32)
    (param $out i32) (result i32)
    (local $end i32) (local $bucket i32) (local $v i64) (local $by i64)
    (local.set $by (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $bits))))
    (local.set $end (i32.add (local.get $from) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $v (i64.load (local.get $from)))
        (local.set $bucket (i32.wrap_i64 (i64.shr_u
          (i64.mul (local.get $v) (global.get $SPREAD)) (local.get $by))))
        (if (i32.and
              (i32.shr_u
                (i32.load (i32.add (local.get $counts)
                  (i32.shl (i32.shr_u (local.get $bucket) (i32.const 4)) (i32.const 2))))
                ;; the bucket's high bit
                (i32.or (i32.shl (i32.and (local.get $bucket) (i32.const 15)) (i32.const 1))
                  (i32.const 1)))
              (i64.lt_u (local.get $v) (global.get $INFINITY)))
          (then
            (i64.store (local.get $out) (local.get $v))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))))
        (local.set $from (i32.add (local.get $from) (i32.const 8)))
        (br $each)))
    (local.get $out))

  ;; Writes over the `kept` hashes at `from` each that occurs more than
  ;; once among them (in no order, each once); returns how many. The table
  ;; has 2^tbits slots at `table`, more than `kept`, and is cleared here.
  (func (export "repeats") (param $from i32) (param $kept i32) (param $tbits i32)
    (param $table i32) (result i32)
    (local $end i32) (local $slot i32) (local $mask i32) (local $at i32) (local $out i32)
    (local $start i32) (local $by i64) (local $v i64) (local $key i64) (local $held i64)
    (local.set $by (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $tbits))))
    (local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $tbits)) (i32.const 1)))
    (memory.fill (local.get $table) (i32.const 0) (i32.shl (i32.const 8) (local.get $tbits)))
    (local.set $end (i32.add (local.get $from) (i32.shl (local.get $kept) (i32.const 3))))
    (local.set $start (local.get $from))
    (local.set $out (local.get $from))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $v (i64.load (local.get $from)))
        (local.set $key (i64.add (local.get $v) (i64.const 1)))
        (local.set $slot (i32.wrap_i64 (i64.shr_u
          (i64.mul (local.get $v) (global.get $SLOT)) (local.get $by))))
        (block $placed
          (loop $probe
            (local.set $at (i32.add (local.get $table) (i32.shl (local.get $slot) (i32.const 3))))
            (local.set $held (i64.load (local.get $at)))
            (if (i64.eqz (local.get $held))
              (then
                (i64.store (local.get $at) (local.get $key))
                (br $placed)))
            (if (i64.eq (local.get $held) (local.get $key))
              (then
                ;; Met the second time: written out (out <= from), marked so a third is not.
                (i64.store (local.get $at) (i64.or (local.get $key) (global.get $WRITTEN)))
                (i64.store (local.get $out) (local.get $v))
                (local.set $out (i32.add (local.get $out) (i32.const 8)))
                (br $placed)))
            (br_if $placed (i64.eq (local.get $held)
              (i64.or (local.get $key) (global.get $WRITTEN))))
            (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (local.get $mask)))
            (br $probe)))
        (local.set $from (i32.add (local.get $from) (i32.const 8)))
        (br $each)))
    (i32.shr_u (i32.sub (local.get $out) (local.get $start)) (i32.const 3)))
)
