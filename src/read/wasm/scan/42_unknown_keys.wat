;; A part of the kernel's one module (see 00_module.wat).
  ;; A payload key the table does not have (an orchestrator's own "ticket"):
  ;; the full path reads it and drops it, so the line's values are the same
  ;; without it. Skips the pair at `p` (`{"` before the key when `first`,
  ;; else the separator and `"`) when its key is printable ASCII without a
  ;; quote or backslash and no row's, and its value a string without
  ;; escapes, a number, true, false or null (containers, escapes: the JS
  ;; reader's). Returns where the pair ends, or -1. The literals around
  ;; the key follow the `rows` rows at `table`: first lead, next lead, colon.
  (func $unknownPair (param $p i32) (param $end i32) (param $first i32) (param $table i32)
    (param $rows i32) (result i32)
    (local $lits i32) (local $q i32) (local $row i32) (local $c i32) (local $which i32)
    (local.set $which (select (i32.const 0) (i32.const 4) (local.get $first)))
    (local.set $q (call $lit (local.get $p) (local.get $end)
      (i32.load (i32.add (i32.add (local.get $table) (i32.shl (local.get $rows) (i32.const 4)))
        (local.get $which)))))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    ;; a known key here is out of place or repeated: not skipped
    (block $unknown
      (loop $known
        (br_if $unknown (i32.ge_u (local.get $row) (local.get $rows)))
        (if (i32.ge_s (call $lit (local.get $p) (local.get $end)
              (i32.load (i32.add (i32.add (local.get $table) (i32.shl (local.get $row) (i32.const 4)))
                (local.get $which))))
              (i32.const 0))
          (then (return (i32.const -1))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $known)))
    (block $key
      (loop $byte
        (if (i32.ge_u (local.get $q) (local.get $end)) (then (return (i32.const -1))))
        (local.set $c (i32.load8_u (local.get $q)))
        (br_if $key (i32.eq (local.get $c) (i32.const 34)))
        (if (i32.or (i32.or (i32.lt_u (local.get $c) (i32.const 32))
              (i32.gt_u (local.get $c) (i32.const 126))) (i32.eq (local.get $c) (i32.const 92)))
          (then (return (i32.const -1))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $byte)))
    ;; the key's closing quote and the colon
    (local.set $q (call $lit (local.get $q) (local.get $end)
      (i32.load offset=8 (i32.add (local.get $table) (i32.shl (local.get $rows) (i32.const 4))))))
    (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.ge_u (local.get $q) (local.get $end)) (then (return (i32.const -1))))
    (local.set $c (i32.load8_u (local.get $q)))
    (if (i32.eq (local.get $c) (i32.const 34))
      (then
        (local.set $q (call $text (i32.add (local.get $q) (i32.const 1)) (local.get $end)))
        (return (select (i32.const -1) (i32.add (local.get $q) (i32.const 1))
          (i32.lt_s (local.get $q) (i32.const 0))))))
    (if (i32.eq (local.get $c) (i32.const 116))
      (then (return (call $lit (local.get $q) (local.get $end) (i32.const 10)))))
    (if (i32.eq (local.get $c) (i32.const 102))
      (then (return (call $lit (local.get $q) (local.get $end) (i32.const 11)))))
    (if (i32.eq (local.get $c) (i32.const 110))
      (then (return (call $lit (local.get $q) (local.get $end) (i32.const 9)))))
    (call $jsonNumber (local.get $q) (local.get $end)))

  ;; Where a JSON number at `p` ends (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?),
  ;; or -1. What follows it is the caller's to check.
  (func $jsonNumber (param $p i32) (param $end i32) (result i32)
    (local $c i32)
    (if (i32.and (i32.lt_u (local.get $p) (local.get $end))
          (i32.eq (i32.load8_u (local.get $p)) (i32.const 45)))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 48))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1))))
      (else (local.set $p (call $digitRun (local.get $p) (local.get $end)))))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (local.get $p))))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 46))
      (then
        (local.set $p (call $digitRun (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
        (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
        (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (local.get $p))))))
    (local.set $c (i32.or (i32.load8_u (local.get $p)) (i32.const 32)))
    (if (i32.ne (local.get $c) (i32.const 101)) (then (return (local.get $p))))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 43)) (i32.eq (local.get $c) (i32.const 45)))
          (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))
    (call $digitRun (local.get $p) (local.get $end)))

  ;; Where a run of at least one digit at `p` ends, or -1.
  (func $digitRun (param $p i32) (param $end i32) (result i32)
    (local $from i32)
    (local.set $from (local.get $p))
    (block $done
      (loop $digit
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $done (i32.gt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 9)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $digit)))
    (select (local.get $p) (i32.const -1) (i32.gt_u (local.get $p) (local.get $from))))
