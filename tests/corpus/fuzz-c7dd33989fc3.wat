;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; f(32, 467, 362879, 1307674367999): ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='BAD_CONVERSION_TO_INTEGER')
;; call 66 20 1d3 5897f 130777757ff
;; call 66 111fd77 fffffffff3e7d71b 7fc00000 7ff8000000000000
(module
  (type (;0;) (func (param i32 i64 f32 f64) (result i32)))
  (memory (;0;) 1 3)
  (export "f" (func 0))
  (func (;0;) (type 0) (param i32 i64 f32 f64) (result i32)
    local.get 0
    memory.grow
  )
)
