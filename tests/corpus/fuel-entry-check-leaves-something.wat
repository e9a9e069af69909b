;; Entering a function costs 1 and traps unless something is left after it (<= 0 traps):
;; with 1 unit left a failing table.grow ran and returned -1 on osbuild, wasmtime traps
;; "all fuel consumed" on entry. (This was the known failed-table.grow difference.)
;; call 6275726e 9c3f
;; call 7469636b
;; call 7469636b
;; call 7469636b
;; call 7467726f77 ffffffff
(module
  (func (export "burn") (param i32)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tick"))
  (table 1 5 funcref)
  (func (export "tgrow") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))
)
