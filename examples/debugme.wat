(module $demo
  ;; The debugging walkthrough of the README: `osbuild debug --invoke run examples/debugme.wat 0`
  (memory (export "memory") 1)
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (func $leaf (param $x i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.store (i32.const 64) (i32.const 0x64636261))
    (i32.div_u (i32.const 100) (local.get $x)))
  (func $middle (param $x i32) (result i32) (i32.add (call $leaf (local.get $x)) (i32.const 1)))
  (func (export "run") (param $x i32) (result i32) (call $middle (local.get $x))))
