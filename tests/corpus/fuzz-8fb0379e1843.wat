;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; f(9063, 4294967295, 563, 2829862): ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='ok', values=[('I', 18446744073709551508)], trap=None)
;; call 66 2367 ffffffff 233 2b2e26
;; call 66 ffffffc7 fff20d1163d8872a ffffffff 11266f166e36c5
;; call 66 1812d28 7ffffffffffffffe 1 421e131
(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func (param i32 i64) (result i64)))
  (type (;2;) (func (param i32 f32) (result f32)))
  (type (;3;) (func (param i32 f64) (result f64)))
  (type (;4;) (func (param i32 i64 f32 f64) (result i64)))
  (table (;0;) 6 funcref)
  (memory (;0;) 1 3)
  (export "f" (func 0))
  (func (;0;) (type 4) (param i32 i64 f32 f64) (result i64)
    block (result i64) ;; label = @1
      i64.const 1
      i32.const 0
      br_if 0 (;@1;)
      drop
      block (result i64) ;; label = @2
        block ;; label = @3
          block ;; label = @4
            i32.const -1
            memory.grow
            br_table 0 (;@4;) 1 (;@3;) 0 (;@4;)
          end
          block (result i64) ;; label = @4
            i32.const 1
            local.get 1
            i64.store8
            i64.const 0
          end
          br 1 (;@2;)
        end
        i32.const 0
        local.get 1
        i32.const 3
        call_indirect (type 1)
      end
    end
  )
)
