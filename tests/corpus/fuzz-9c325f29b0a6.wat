;; Found by osbuild fuzz (minimized with wasm-tools shrink): LLVM's dead-store elimination
;; removed the out-of-bounds i32.store16 (a later i64.store overwrites the same bytes), so the
;; function ran past the access that must trap, did the in-bounds i64.store at 9 and trapped
;; only at the later store. Wasm stores are now volatile (never removed, merged or reordered).
;; final memory differs: ours (15722789935116937243, 1), wasmtime (16934947671703429925, 1)
;; call 66 1f 40 1 1859296f6
;; call 66 0 3f 52a91 3ff0000000000000
;; call 66 21 fc01 7fc00000 2ad
(module
  (type (;0;) (func (param i32 i64 f32 f64) (result i32)))
  (memory (;0;) 1 3)
  (global (;0;) (mut i32) i32.const 0)
  (export "" (memory 0))
  (export "f" (func 0))
  (func (;0;) (type 0) (param i32 i64 f32 f64) (result i32)
    block (result i32) ;; label = @1
      i32.const 0
      block (result i32) ;; label = @2
        i32.const 0
        global.get 0
        br_if 0 (;@2;)
        drop
        i32.const 0
      end
      i32.store16 offset=65536
      block (result i32) ;; label = @2
        i32.const 1
        i64.const 1
        i64.store offset=8
        i32.const 0
      end
    end
    i32.const 1
    block (result i32) ;; label = @1
      i32.const 0
      i64.const 0
      i64.store offset=65536
      i32.const 1
    end
    select
  )
)
