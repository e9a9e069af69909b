;; A bulk operation with a run-time length is done first and charged after: when that
;; exhausts the budget, wasmtime traps with the memory already filled (osbuild trapped
;; before filling, so the final memory differed).
;; call 6275726e 9c3b
;; call 7469636b
;; call 7469636b
;; call 7469636b
;; call 7469636b
;; call 66696c6c 64
(module
  (func (export "burn") (param i32)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tick"))
  (memory (export "mem") 1 1)
  (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 0x5a) (local.get 0)))
)
