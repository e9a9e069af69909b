;; Found by reading the code generated after the dead-store fixes: LLVM merged the two adjacent
;; i32 stores below into one 8-byte store, which at 65532 faults as a whole, so the first
;; store (in bounds, and done by wasmtime before the second one traps) was lost. Volatile
;; stores are never merged.
;; call 696e6974 fffc
(module
  (memory (export "mem") 1 1)
  (func (export "init") (param $p i32)
    (i32.store offset=0 (local.get $p) (i32.const 1))
    (i32.store offset=4 (local.get $p) (i32.const 2))))
