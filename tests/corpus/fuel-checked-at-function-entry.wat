;; Found by wasm-tools smith (osbuild fuzz): after a call ran out of fuel, the next call
;; trapped "invalid conversion to integer" instead of "all fuel consumed" because fuel was
;; only checked at the next control instruction, not on entry as in wasmtime.
(module
  (func (export "spin") (loop (br 0)))
  (func (export "conv") (result i32) (i32.trunc_f64_u (f64.const nan))))
