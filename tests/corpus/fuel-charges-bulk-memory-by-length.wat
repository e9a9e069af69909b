;; Found by the hypothesis generator (osbuild fuzz): wasmtime charges memory.fill/copy/init,
;; table.fill/copy/init/grow and memory.grow one unit of fuel per byte, element or page and
;; traps at once when that exhausts the budget; osbuild charged them 1, so a later call ran on
;; and trapped "out of bounds memory access" where wasmtime said "all fuel consumed".
;; call 66696c6c 10000
;; call 66696c6c 10000
;; call 66696c6c 10000
;; call 66696c6c 10000
;; call 66696c6c 30000
(module
  (memory 4 4)
  (func (export "fill") (param i32)
    (memory.fill (i32.const 0) (i32.const 1) (local.get 0))))
