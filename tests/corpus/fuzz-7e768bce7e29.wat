;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; (): ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='MEMORY_OUT_OF_BOUNDS')
;; call - 
(module
  (type (;0;) (func (result i64 f32)))
  (table (;0;) 117 766 funcref)
  (memory (;0;) 13 15)
  (global (;0;) (mut funcref) ref.null func)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (export "" (func 0))
  (elem (;0;) declare func)
  (func (;0;) (type 0) (result i64 f32)
    (local f32)
    global.get 0
    ref.func 0
    ref.func 0
    memory.size
    table.grow 0
    i64.load8_u offset=510717
    f32.convert_i64_s
    f32.const 0x1.5e39b6p-49 (;=0.0000000000000024301771;)
    i64.const 0
    f64.convert_i64_s
    i64.trunc_sat_f64_s
    global.get 0
    i32.const 1471333110
    memory.size
    i32.rotr
    table.grow 0
    loop ;; label = @1
      global.get 0
      ref.func 0
      ref.null func
      i32.const 0
      global.get 0
      f64.const -nan:0xfffffff800000 (;=NaN;)
      loop (result f64) ;; label = @2
        i64.const 4534178227919871803
        call 0
        f32.trunc
        local.tee 0
        f32.const nan (;=NaN;)
        local.get 0
        local.get 0
        f32.eq
        select
        loop (result externref) ;; label = @3
          global.get 0
          f32.const -0x1.97c532p+75 (;=-60176274000000000000000;)
          elem.drop 0
          f64.promote_f32
          loop ;; label = @4
          end
          i64.trunc_f64_u
          i64.eqz
          i64.extend_i32_u
          global.get 0
          i32.const -2139937918
          if (type 0) (result i64 f32) ;; label = @4
            loop (result f64) ;; label = @5
              memory.size
              br_if 2 (;@3;)
              i64.const -630532632208080528
              i64.ctz
              br 3 (;@2;)
              i64.eqz
              i64.load16_u offset=735605 align=1
              i64.clz
              global.get 1
              i64.xor
              global.set 1
              f64.const -0x1.37bb3bffadc6bp+372 (;=-11713830885078626000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
            end
            i64.reinterpret_f64
            global.get 2
            i64.xor
            global.set 2
            i64.const 0
            f32.const 0x1.3586fcp-13 (;=0.00014759411;)
          else
            i64.const 0
            f32.const 0x1.dfff8p-130 (;=0.000000000000000000000000000000000000001377527;)
          end
          i32.reinterpret_f32
          global.get 3
          i32.xor
          global.set 3
          global.get 1
          i64.xor
          global.set 1
          drop
          global.get 1
          i64.xor
          global.set 1
          drop
          ref.null extern
        end
        drop
        i32.reinterpret_f32
        global.get 3
        i32.xor
        global.set 3
        global.get 1
        i64.xor
        global.set 1
        global.get 1
        i64.xor
        global.set 1
        f64.const -0x1.1fb0c9dd1b1eap-606 (;=-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000423163601206184;)
      end
      i64.reinterpret_f64
      global.get 2
      i64.xor
      global.set 2
      i64.reinterpret_f64
      global.get 2
      i64.xor
      global.set 2
      drop
      global.get 4
      i32.xor
      global.set 4
      drop
      drop
      drop
    end
    i32.const -2071286015
    i32.xor
    global.set 4
    global.get 1
    i64.xor
    global.set 1
    i32.reinterpret_f32
    global.get 3
    i32.xor
    global.set 3
    i32.reinterpret_f32
    global.get 3
    i32.xor
    global.set 3
    drop
    drop
    i64.const 0
    f32.const -0x1.e8242cp-48 (;=-0.0000000000000067743213;)
  )
)
