(module $victim
  ;; Holds a pattern in its memory and a global; `check` says whether both are intact.
  (memory (export "memory") 1)
  (global $g (export "g") (mut i64) (i64.const 0))
  (func (export "fill") (param $seed i32)
    (local $i i32)
    (global.set $g (i64.extend_i32_u (local.get $seed)))
    (loop $l
      (i32.store (i32.shl (local.get $i) (i32.const 2))
                 (i32.mul (local.get $seed) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 16384)))))
  (func (export "check") (param $seed i32) (result i32)
    (local $i i32)
    (if (i64.ne (global.get $g) (i64.extend_i32_u (local.get $seed)))
      (then (return (i32.const 0))))
    (loop $l
      (if (i32.ne (i32.load (i32.shl (local.get $i) (i32.const 2)))
                  (i32.mul (local.get $seed) (local.get $i)))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 16384))))
    (i32.const 1)))
