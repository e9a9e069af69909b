;; A bulk operation whose length is a constant of at most 128 is charged like an ordinary
;; instruction, without a check (wasmtime); osbuild checked it and trapped where wasmtime
;; completes. A constant local counts as constant too.
;; call 6275726e 9c3e
;; call 7469636b
;; call 7469636b
;; call 7469636b
;; call 7469636b
;; call 66696c6c
;; call 66696c6c
(module
  (func (export "burn") (param i32)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tick"))
  (memory (export "mem") 1 1)
  (func (export "fill") (local i32)
    (local.set 0 (i32.const 100))
    (memory.fill (i32.const 0) (i32.const 0x5a) (i32.const 3))
    (memory.fill (i32.const 8) (i32.const 0x5b) (local.get 0)))
)
