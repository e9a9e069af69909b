;; wasmtime keeps a function's fuel in a register and writes it back only at calls, returns
;; and `unreachable`: when a call traps otherwise (here dividing by zero after a loop) what it
;; spent is not charged, so the next call still has the budget it needs; osbuild charged it.
;; call 6275726e 9c33
;; call 7469636b
;; call 7469636b
;; call 7469636b
;; call 7469636b
;; call 74726170706572 0
;; call 6275726e a
;; call 74726170706572 1
(module
  (func (export "burn") (param i32)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tick"))
  (func (export "trapper") (param i32) (result i32) (local i32)
    (local.set 1 (i32.const 10))
    (loop $l (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
    (i32.div_u (i32.const 1) (local.get 0)))
)
