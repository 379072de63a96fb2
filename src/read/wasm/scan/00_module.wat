;; The byte scanner's WebAssembly kernel (hand-written; `deno task wasm`
;; joins this folder's parts in name order into one module and assembles it
;; with a pinned wabt into ../scan.wasm and ../scan_wasm.ts). This part opens
;; the module; 50_exec_lines.wat closes it.
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

