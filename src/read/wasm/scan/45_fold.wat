;; A part of the kernel's one module (see 00_module.wat).
  ;; ---- folding: the kernel sums the lines it vouches for ---------------
  ;; When JS installs a fold (wasm/fold_table.ts writes the tables from a
  ;; sink's plan; this part knows no key), each execution line `execLines`
  ;; takes is offered to $fold, which adds it to its group's sums here and
  ;; marks it kind 3, or leaves it (kind 2) to JS when any part of it is not
  ;; known yet or not exact here. Memory (fold area, before the block):
  ;;   327680 control: +0 on, +4/+8 the group's record byte offset (-1: one
  ;;          group) and its missing bit, +12 the one group's index, +16 rows
  ;;          whose absence sends a line to JS, +20/+24 the model's offset and
  ;;          bit, +28 five tokens' (offset, bit): input, output, cache read,
  ;;          cache write, its 1-hour share; +72 asks, +76 hashes written, +80
  ;;          1 when every group index is taken
  ;;   328704 group index per name id + 1 (i32; 0: not known)
  ;;   346112 price classes per name id + 1 (i32: the latest in the low 16 bits, the one
  ;;          before in the high; 0: not known)
  ;;   363520 asked marks per name id + 1 (u8: 1 group, 2 price)
  ;;   368640 asks: 4096 x (name id + 1 i32, what i32: 0 group 1 price, time f64)
  ;;   434176 the id hashes of the lines folded by the last call (f64)
  ;;   450560 price classes: 256 x 128 bytes: +0 kind (1 unpriced, 2
  ;;          priced), +8 from and +16 to (epoch ms, f64), +24 the largest
  ;;          token count (i64), +32 and +40 prompt sizes the base and the
  ;;          tier rates hold to, +48 base rates, +88 tier rates (5 x i64,
  ;;          1e-15 USD per token)
  ;;   483328 sums: 256 groups x 128 bytes: +0 four token sums, +32 events,
  ;;          +40 estimated, +48 unpriced, +56/+64 reported dollars and
  ;;          1e-15 USD below a dollar, +72/+80 the same estimated (i64)
  ;;   516096 model names met: 256 groups x 528 bytes, a bit per name id + 1
  ;;   651264 unpriced models: the same
  ;;   786432 end of the fold area

  ;; Set when a line asked about a name met for the first time: `execLines`
  ;; stops after that line, so JS answers before the next lines are read.
  (global $stop (mut i32) (i32.const 0))

  ;; Asks JS for a name's group (what 0) or price (what 1), once until
  ;; answered: 1 when asked now.
  (func $ask (param $id i32) (param $what i32) (param $ms f64) (result i32)
    (local $mark i32) (local $n i32) (local $at i32)
    (local.set $mark (i32.load8_u offset=363520 (local.get $id)))
    (if (i32.and (local.get $mark) (i32.add (local.get $what) (i32.const 1)))
      (then (return (i32.const 0))))
    (local.set $n (i32.load (i32.const 327752)))
    (if (i32.ge_u (local.get $n) (i32.const 4096)) (then (return (i32.const 0))))
    (i32.store8 offset=363520 (local.get $id)
      (i32.or (local.get $mark) (i32.add (local.get $what) (i32.const 1))))
    (local.set $at (i32.add (i32.const 368640) (i32.shl (local.get $n) (i32.const 4))))
    (i32.store (local.get $at) (local.get $id))
    (i32.store offset=4 (local.get $at) (local.get $what))
    (f64.store offset=8 (local.get $at) (local.get $ms))
    (i32.store (i32.const 327752) (i32.add (local.get $n) (i32.const 1)))
    (i32.const 1))

  ;; The name id + 1 of the name at the (offset, bit) pair at `ctl` (0: null or left out).
  (func $nameAt (param $rec i32) (param $missing i32) (param $ctl i32) (result i32)
    (if (i32.and (local.get $missing) (i32.load offset=4 (local.get $ctl)))
      (then (return (i32.const 0))))
    (i32.add (i32.trunc_f64_s (f64.load (i32.add (local.get $rec) (i32.load (local.get $ctl)))))
      (i32.const 1)))

  ;; The count at the (offset, bit) pair at `ctl` (0: null or left out).
  (func $tokens (param $rec i32) (param $missing i32) (param $ctl i32) (result i64)
    (local $v f64)
    (if (i32.and (local.get $missing) (i32.load offset=4 (local.get $ctl)))
      (then (return (i64.const 0))))
    (local.set $v (f64.load (i32.add (local.get $rec) (i32.load (local.get $ctl)))))
    (if (f64.ne (local.get $v) (local.get $v)) (then (return (i64.const 0))))
    (i64.trunc_f64_u (local.get $v)))

  ;; Sets bit `id` of the bitmap row at `row`.
  (func $setBit (param $row i32) (param $id i32)
    (local $at i32)
    (local.set $at (i32.add (local.get $row) (i32.shr_u (local.get $id) (i32.const 3))))
    (i32.store8 (local.get $at) (i32.or (i32.load8_u (local.get $at))
      (i32.shl (i32.const 1) (i32.and (local.get $id) (i32.const 7))))))

  ;; Adds `units` (1e-15 USD, < 2^63) to the dollars at `at` and the units below at `at` + 8.
  (func $addMoney (param $at i32) (param $dollars i64) (param $units i64)
    (local $f i64)
    (local.set $f (i64.add (i64.load offset=8 (local.get $at)) (local.get $units)))
    (local.set $dollars (i64.add (local.get $dollars) (i64.div_u (local.get $f)
      (i64.const 1000000000000000))))
    (i64.store offset=8 (local.get $at) (i64.rem_u (local.get $f) (i64.const 1000000000000000)))
    (i64.store (local.get $at) (i64.add (i64.load (local.get $at)) (local.get $dollars))))

  ;; Where price class `c` is kept.
  (func $class (param $c i32) (result i32)
    (i32.add (i32.const 450560) (i32.shl (local.get $c) (i32.const 7))))

  ;; 1 when `ms` is in the window [from, to) of the priced class at `cls`.
  (func $within (param $cls i32) (param $ms f64) (result i32)
    (i32.and (f64.ge (local.get $ms) (f64.load offset=8 (local.get $cls)))
      (f64.lt (local.get $ms) (f64.load offset=16 (local.get $cls)))))

  ;; Folds the execution line whose record is at `rec` into its group's
  ;; sums: 1, or 0 (nothing changed) when JS must read it.
  (func $fold (param $rec i32) (result i32)
    (local $ms f64) (local $missing i32) (local $g i32) (local $id i32) (local $model i32)
    (local $t0 i64) (local $t1 i64) (local $t2 i64) (local $t3 i64) (local $t4 i64)
    (local $sum i32) (local $cls i32) (local $kind i32) (local $cw i64) (local $prompt i64)
    (local $r i32) (local $units i64) (local $cap i64) (local $max i64) (local $n i32)
    (local $both i32)
    (local.set $ms (f64.load offset=248 (local.get $rec)))
    ;; a time the kernel did not read: JS checks it
    (if (f64.ne (local.get $ms) (local.get $ms)) (then (return (i32.const 0))))
    (local.set $missing (i32.trunc_f64_u (f64.load offset=80 (local.get $rec))))
    (if (i32.and (local.get $missing) (i32.load (i32.const 327696)))
      (then (return (i32.const 0))))
    (local.set $g (i32.load (i32.const 327692)))
    (if (i32.ge_s (i32.load (i32.const 327684)) (i32.const 0))
      (then
        (local.set $id (call $nameAt (local.get $rec) (local.get $missing) (i32.const 327684)))
        (local.set $g (i32.load offset=328704 (i32.shl (local.get $id) (i32.const 2))))
        (if (i32.eqz (local.get $g))
          (then
            ;; (when the kernel holds no more groups, JS sets +80: not asked)
            (if (i32.eqz (i32.load (i32.const 327760)))
              (then (global.set $stop (call $ask (local.get $id) (i32.const 0) (local.get $ms)))))
            (return (i32.const 0))))))
    (if (i32.eqz (local.get $g)) (then (return (i32.const 0))))
    (local.set $model (call $nameAt (local.get $rec) (local.get $missing) (i32.const 327700)))
    (local.set $t0 (call $tokens (local.get $rec) (local.get $missing) (i32.const 327708)))
    (local.set $t1 (call $tokens (local.get $rec) (local.get $missing) (i32.const 327716)))
    (local.set $t2 (call $tokens (local.get $rec) (local.get $missing) (i32.const 327724)))
    (local.set $t3 (call $tokens (local.get $rec) (local.get $missing) (i32.const 327732)))
    (local.set $t4 (call $tokens (local.get $rec) (local.get $missing) (i32.const 327740)))
    ;; every token sum stays an exact JS number (below 2^53)
    (local.set $sum (i32.add (i32.const 483328) (i32.shl (local.get $g) (i32.const 7))))
    (local.set $max (i64.const 9007199254740991))
    (if (i32.or
          (i32.or (i64.gt_u (i64.add (i64.load (local.get $sum)) (local.get $t0)) (local.get $max))
            (i64.gt_u (i64.add (i64.load offset=8 (local.get $sum)) (local.get $t1)) (local.get $max)))
          (i32.or (i64.gt_u (i64.add (i64.load offset=16 (local.get $sum)) (local.get $t2)) (local.get $max))
            (i64.gt_u (i64.add (i64.load offset=24 (local.get $sum)) (local.get $t3)) (local.get $max))))
      (then (return (i32.const 0))))
    ;; kind 0: reported (its amount split by $decimal), 1 unpriced, 2 estimated
    (if (f64.ne (f64.load offset=232 (local.get $rec)) (f64.load offset=232 (local.get $rec)))
      (then
        ;; two classes a model: the latest answer's (low half) and the one before
        (local.set $both (i32.load offset=346112 (i32.shl (local.get $model) (i32.const 2))))
        (if (i32.eqz (i32.and (local.get $both) (i32.const 0xffff)))
          (then
            (global.set $stop (call $ask (local.get $model) (i32.const 1) (local.get $ms)))
            (return (i32.const 0))))
        (local.set $cls (call $class (i32.and (local.get $both) (i32.const 0xffff))))
        (if (i32.and (i32.eq (i32.load (local.get $cls)) (i32.const 2))
              (i32.eqz (call $within (local.get $cls) (local.get $ms))))
          (then
            (if (i32.shr_u (local.get $both) (i32.const 16))
              (then (local.set $cls (call $class (i32.shr_u (local.get $both) (i32.const 16))))))
            (if (i32.eqz (call $within (local.get $cls) (local.get $ms)))
              (then
                ;; a third period: asked again (JS keeps the answer and the latest before it)
                (global.set $stop (call $ask (local.get $model) (i32.const 1) (local.get $ms)))
                (return (i32.const 0))))))
        (local.set $kind (i32.load (local.get $cls)))
        (if (i32.eq (local.get $kind) (i32.const 2))
          (then
            (local.set $cap (i64.load offset=24 (local.get $cls)))
            (if (i32.or (i32.or (i64.gt_u (local.get $t0) (local.get $cap))
                  (i64.gt_u (local.get $t1) (local.get $cap)))
                  (i32.or (i64.gt_u (local.get $t2) (local.get $cap))
                    (i32.or (i64.gt_u (local.get $t3) (local.get $cap))
                      (i64.gt_u (local.get $t4) (local.get $cap)))))
              (then (return (i32.const 0))))
            ;; the cache writes are at least their 1-hour share
            (local.set $cw (select (local.get $t3) (local.get $t4)
              (i64.gt_u (local.get $t3) (local.get $t4))))
            (local.set $prompt (i64.add (i64.add (local.get $t0) (local.get $t2)) (local.get $cw)))
            (local.set $r (i32.add (local.get $cls) (i32.const 48)))
            (if (i64.gt_s (local.get $prompt) (i64.load offset=32 (local.get $cls)))
              (then
                (if (i64.gt_s (local.get $prompt) (i64.load offset=40 (local.get $cls)))
                  (then (return (i32.const 0))))
                (local.set $r (i32.add (local.get $cls) (i32.const 88)))))
            (local.set $units (i64.add (i64.add (i64.add
              (i64.mul (local.get $t0) (i64.load (local.get $r)))
              (i64.mul (local.get $t1) (i64.load offset=8 (local.get $r))))
              (i64.add (i64.mul (local.get $t2) (i64.load offset=16 (local.get $r)))
                (i64.mul (i64.sub (local.get $cw) (local.get $t4)) (i64.load offset=24 (local.get $r)))))
              (i64.mul (local.get $t4) (i64.load offset=32 (local.get $r))))))))
      (else
        (local.set $kind (i32.const 0))
        ;; reported dollars stay far from an i64's end
        (if (i64.gt_u (i64.add (i64.load offset=56 (local.get $sum))
              (i64.trunc_f64_u (f64.load offset=232 (local.get $rec)))) (i64.const 0x4000000000000000))
          (then (return (i32.const 0))))))
    ;; from here on the line is folded
    (i64.store (local.get $sum) (i64.add (i64.load (local.get $sum)) (local.get $t0)))
    (i64.store offset=8 (local.get $sum) (i64.add (i64.load offset=8 (local.get $sum)) (local.get $t1)))
    (i64.store offset=16 (local.get $sum) (i64.add (i64.load offset=16 (local.get $sum)) (local.get $t2)))
    (i64.store offset=24 (local.get $sum) (i64.add (i64.load offset=24 (local.get $sum)) (local.get $t3)))
    (i64.store offset=32 (local.get $sum) (i64.add (i64.load offset=32 (local.get $sum)) (i64.const 1)))
    (if (i32.eqz (local.get $kind))
      (then
        (call $addMoney (i32.add (local.get $sum) (i32.const 56))
          (i64.trunc_f64_u (f64.load offset=232 (local.get $rec)))
          (i64.trunc_f64_u (f64.load offset=240 (local.get $rec))))))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then
        (i64.store offset=48 (local.get $sum) (i64.add (i64.load offset=48 (local.get $sum)) (i64.const 1)))
        (call $setBit (i32.add (i32.const 651264) (i32.mul (local.get $g) (i32.const 528)))
          (local.get $model))))
    (if (i32.eq (local.get $kind) (i32.const 2))
      (then
        (i64.store offset=40 (local.get $sum) (i64.add (i64.load offset=40 (local.get $sum)) (i64.const 1)))
        (call $addMoney (i32.add (local.get $sum) (i32.const 72)) (i64.const 0) (local.get $units))))
    (if (local.get $model)
      (then (call $setBit (i32.add (i32.const 516096) (i32.mul (local.get $g) (i32.const 528)))
        (local.get $model))))
    (local.set $n (i32.load (i32.const 327756)))
    (f64.store offset=434176 (i32.shl (local.get $n) (i32.const 3)) (f64.load offset=224 (local.get $rec)))
    (i32.store (i32.const 327756) (i32.add (local.get $n) (i32.const 1)))
    (i32.const 1))

