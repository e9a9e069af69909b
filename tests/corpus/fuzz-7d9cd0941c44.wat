;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; global 3: ours ('i', 4294705152), wasmtime ('i', 2143289344)
;; f32.demote_f64 of a NaN literal with sign and payload: LLVM folded it to 0xfffc0000
;; (sign and payload kept), while fcvt.s.d at run time, and wasmtime, give the canonical
;; 0x7fc00000. Both are arithmetic NaNs, but the result depended on the operand being a
;; literal; jit/numeric.py now makes a NaN literal's conversion the canonical NaN.
;; call - 0
(module
  (type (;0;) (func (param i32)))
  (global (;0;) (mut v128) v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (export "" (func 0))
  (export "}" (global 0))
  (export "3" (global 1))
  (func (;0;) (type 0) (param i32)
    (local f64 f32 f32)
    local.get 0
    br_if 0
    f64.const -nan:0xf800000000000 (;=NaN;)
    f32.demote_f64
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    global.get 2
    global.set 2
  )
)
