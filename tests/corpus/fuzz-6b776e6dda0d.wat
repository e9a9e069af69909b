;; Found by osbuild fuzz (minimized with wasm-tools shrink): dead-store elimination again, on
;; a global: `global.set 0` (= 267) was deleted because a later global.set overwrites it, but
;; the i64.store8 in between traps, so the global must hold 267 afterwards. global.set,
;; table.set and the data/elem drop flags are now volatile stores as well.
;; global g_i64: ours ('I', 9223372036854775808), wasmtime ('I', 267)
;; call 66 fffff76d 10b 6cb80 e79d
(module
  (type (;0;) (func (param i32 i64 f32 f64) (result i64)))
  (memory (;0;) 1 3)
  (global (;0;) (mut i64) i64.const 0)
  (export "" (global 0))
  (export "f" (func 0))
  (func (;0;) (type 0) (param i32 i64 f32 f64) (result i64)
    block (result i64) ;; label = @1
      i32.const 7
      block (result i32) ;; label = @2
        i32.const 0
        block (result i64) ;; label = @3
          local.get 1
          global.set 0
          global.get 0
        end
        i64.store8 offset=65536
        i32.const 1
      end
      if (result i64) ;; label = @2
        i64.const 0
      else
        local.get 1
      end
      i64.store offset=65535
      block (result i64) ;; label = @2
        i64.const 0
        global.set 0
        global.get 0
      end
    end
  )
)
