;; wasmtime checks the budget only on function entry and at loop headers: a function that
;; enters with 2 units left runs to its end (overdrawing) and returns; osbuild checked at
;; every control instruction and trapped at the final `end`. The next call traps on entry.
;; call 6275726e 9c3f
;; call 7469636b
;; call 7469636b
;; call 66
;; call 66
(module
  (func (export "burn") (param i32)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tick"))
  (func (export "f") (result i32) (local i32)
    (local.set 0 (i32.const 1)) (local.set 0 (i32.const 2)) (i32.const 7))
)
