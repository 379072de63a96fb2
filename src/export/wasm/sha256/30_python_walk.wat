  ;; The walk of a line in the Python writer's layout (keys sorted, ", " and
  ;; ": " between them, a key left out for a field at its default), for the
  ;; item writer (see 10_items.wat): its keys are matched in order against
  ;; the table of keys in that order (PY_KEYS, `setPython`), each value
  ;; recorded as the leaf of its field, a key left out read as `null`. The
  ;; line's values are copied as the tool's layout would spell them only if
  ;; they are spelt so: every string plain ASCII without a backslash, every
  ;; count a canonical integer (or null); else -1, and JS writes the item.
  ;;
  ;; PY_KEYS: 16 bytes an entry: the leaf (-1: the payload object), the
  ;; piece of the key's text (with its quotes), flags: 1 required (no
  ;; default of null: left out, JS writes it), 2 an integer, 4 a payload
  ;; key, 8 the payload object.
  (global (export "PY_KEYS") i32 (i32.const 71424))
  (global $pyCount (mut i32) (i32.const 0))
  (data (i32.const 71408) "null")

  (func (export "setPython") (param $n i32) (global.set $pyCount (local.get $n)))

  ;; Whether the `len` bytes at `p` are the `len` bytes at `q` (16 a look).
  (func $same (param $p i32) (param $q i32) (param $len i32) (result i32)
    (local $need i32)
    (block $no
      (loop $look
        (local.set $need (select (i32.const 0xffff)
          (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1))
          (i32.ge_u (local.get $len) (i32.const 16))))
        (br_if $no (i32.ne (local.get $need) (i32.and (local.get $need)
          (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (v128.load (local.get $q)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $len (i32.sub (local.get $len) (i32.const 16)))
        (br_if $look (i32.gt_s (local.get $len) (i32.const 0))))
      (return (i32.const 1)))
    (i32.const 0))

  ;; Cuts a line in the Python layout into leaves; returns how many, or -1.
  (func $pythonLeaves (param $at i32) (param $len i32) (result i32)
    (local $p i32) (local $end i32) (local $c i32) (local $e i32) (local $k i32) (local $m i32)
    (local $key i32) (local $keyLen i32) (local $depth i32) (local $b i32) (local $q i32)
    (local $quote v128) (local $backslash v128)
    (local.set $quote (i8x16.splat (i32.const 0x22)))
    (local.set $backslash (i8x16.splat (i32.const 0x5c)))
    ;; Every leaf null until found.
    (loop $clear
      (i32.store (i32.add (i32.const 65536) (i32.shl (local.get $k) (i32.const 3))) (i32.const 71408))
      (i32.store offset=4 (i32.add (i32.const 65536) (i32.shl (local.get $k) (i32.const 3)))
        (i32.const 71412))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $clear (i32.lt_u (local.get $k) (global.get $leafCount))))
    (local.set $p (local.get $at))
    (local.set $end (i32.add (local.get $at) (local.get $len)))
    (block $bad
      (br_if $bad (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x7b)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $depth (i32.const 1))
      (loop $pair
        ;; The key: the next entry of the table that it is (those before it left out).
        (block $found
          (loop $entry
            (br_if $bad (i32.ge_u (local.get $c) (global.get $pyCount)))
            (local.set $e (i32.add (i32.const 71424) (i32.shl (local.get $c) (i32.const 4))))
            (local.set $key (i32.add (i32.const 73728) (i32.shl (i32.load offset=4 (local.get $e)) (i32.const 3))))
            (local.set $keyLen (i32.load offset=4 (local.get $key)))
            ;; A key of the other object ends the walk: the line has its own order.
            (br_if $bad (i32.ne (i32.and (i32.load offset=8 (local.get $e)) (i32.const 4))
              (select (i32.const 4) (i32.const 0) (i32.eq (local.get $depth) (i32.const 2)))))
            (br_if $found (i32.and
              (call $same (local.get $p) (i32.load (local.get $key)) (local.get $keyLen))
              (i32.eq (i32.load16_u (i32.add (local.get $p) (local.get $keyLen))) (i32.const 0x203a))))
            (br_if $bad (i32.and (i32.load offset=8 (local.get $e)) (i32.const 1)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $entry)))
        (local.set $p (i32.add (i32.add (local.get $p) (local.get $keyLen)) (i32.const 2)))
        (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (if (i32.and (i32.load offset=8 (local.get $e)) (i32.const 8))
          (then
            (br_if $bad (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x7b)))
            (local.set $depth (i32.const 2))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $pair)))
        (local.set $k (i32.add (i32.const 65536) (i32.shl (i32.load (local.get $e)) (i32.const 3))))
        (i32.store (local.get $k) (local.get $p))
        (local.set $b (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $b) (i32.const 0x22))
          (then
            ;; A string: to its quote; a backslash or a byte past ASCII leaves the line to JS.
            (loop $text
              (local.set $m (i8x16.bitmask (v128.or (v128.load offset=1 (local.get $p))
                (v128.or (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $quote))
                  (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $backslash))))))
              (if (i32.eqz (local.get $m))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 16)))
                  (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
                  (br $text))))
            (local.set $p (i32.add (i32.add (local.get $p) (i32.const 1)) (i32.ctz (local.get $m))))
            (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
            (br_if $bad (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x22)))
            (local.set $p (i32.add (local.get $p) (i32.const 1))))
          (else
            ;; A number or literal, to the comma or brace; a count's digits canonical.
            (local.set $q (local.get $p))
            (loop $scalar
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $bad (i32.ge_u (local.get $p) (local.get $end)))
              (local.set $b (i32.load8_u (local.get $p)))
              (br_if $scalar (i32.and (i32.ne (local.get $b) (i32.const 0x2c))
                (i32.ne (local.get $b) (i32.const 0x7d)))))
            (if (i32.and (i32.ne (i32.and (i32.load offset=8 (local.get $e)) (i32.const 2)) (i32.const 0))
                  (i32.ne (i32.load8_u (local.get $q)) (i32.const 0x6e)))
              (then (br_if $bad (i32.eqz (call $canonicalInt (local.get $q) (local.get $p))))))))
        (i32.store offset=4 (local.get $k) (local.get $p))
        ;; Then objects closed (the payload's keys left out after its last: checked), ", ", or the end.
        (block $closed
          (loop $close
            (br_if $closed (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x7d)))
            (br_if $closed (i32.ge_u (local.get $p) (local.get $end)))
            (if (i32.eq (local.get $depth) (i32.const 2))
              (then
                (block $rest
                  (loop $left
                    (br_if $rest (i32.ge_u (local.get $c) (global.get $pyCount)))
                    (local.set $e (i32.add (i32.const 71424) (i32.shl (local.get $c) (i32.const 4))))
                    (br_if $rest (i32.eqz (i32.and (i32.load offset=8 (local.get $e)) (i32.const 4))))
                    (br_if $bad (i32.and (i32.load offset=8 (local.get $e)) (i32.const 1)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $left)))))
            (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $close)))
        (if (i32.and (i32.lt_u (local.get $p) (local.get $end))
              (i32.eq (i32.load16_u (local.get $p)) (i32.const 0x202c)))
          (then
            (br_if $bad (i32.le_s (local.get $depth) (i32.const 0)))
            (local.set $p (i32.add (local.get $p) (i32.const 2)))
            (br_if $bad (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x22)))
            (br $pair))))
      (br_if $bad (i32.or (i32.ne (local.get $p) (local.get $end)) (local.get $depth)))
      ;; Keys left out after the last: none may be required.
      (block $rest
        (loop $left
          (br_if $rest (i32.ge_u (local.get $c) (global.get $pyCount)))
          (br_if $bad (i32.and (i32.load offset=8
            (i32.add (i32.const 71424) (i32.shl (local.get $c) (i32.const 4)))) (i32.const 1)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $left)))
      (return (global.get $leafCount)))
    (i32.const -1))

  ;; Whether the bytes `from` to `to` are an integer as `String` spells it: 0, or an optional
  ;; minus and digits without a leading zero.
  (func $canonicalInt (param $from i32) (param $to i32) (result i32)
    (local $c i32)
    (if (i32.eq (i32.load8_u (local.get $from)) (i32.const 0x2d))
      (then (local.set $from (i32.add (local.get $from) (i32.const 1)))))
    (if (i32.ge_u (local.get $from) (local.get $to)) (then (return (i32.const 0))))
    (if (i32.eq (i32.load8_u (local.get $from)) (i32.const 0x30))
      (then (return (i32.and (i32.eq (i32.sub (local.get $to) (local.get $from)) (i32.const 1))
        (i32.ne (i32.load8_u (i32.sub (local.get $from) (i32.const 1))) (i32.const 0x2d))))))
    (loop $digit
      (local.set $c (i32.sub (i32.load8_u (local.get $from)) (i32.const 0x30)))
      (if (i32.gt_u (local.get $c) (i32.const 9)) (then (return (i32.const 0))))
      (local.set $from (i32.add (local.get $from) (i32.const 1)))
      (br_if $digit (i32.lt_u (local.get $from) (local.get $to))))
    (i32.const 1))
)
