;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
(module
  (rec
    (type (;0;) (sub (struct (field i64) (field i8) (field (mut i8)) (field (mut i64)) (field (mut i16)) (field (mut i16)) (field f32) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field i16) (field (mut i8)) (field (mut f32)))))
    (type (;1;) (sub (struct (field (mut i16)) (field i16) (field i8) (field i8))))
    (type (;2;) (sub (array i8)))
    (type (;3;) (sub (func (param i32))))
    (type (;4;) (sub (func)))
    (type (;5;) (func (result exnref f32)))
    (type (;6;) (func (param f32) (result f64 i32 structref i64 i64 externref i64 funcref)))
    (type (;7;) (func (result i64 f64)))
    (type (;8;) (func (param arrayref f64)))
    (type (;9;) (sub (struct (field i8) (field i16) (field structref) (field (mut i16)) (field (mut i8)) (field i64) (field i32) (field i8) (field i16) (field i8) (field f64))))
    (type (;10;) (sub (func)))
    (type (;11;) (func (param i32) (result i32 i64 f32)))
    (type (;12;) (sub (func (param f32))))
    (type (;13;) (func (result i31ref)))
    (type (;14;) (sub (array (mut i64))))
    (type (;15;) (struct (field i16) (field (mut i16)) (field (mut i16))))
    (type (;16;) (array i16))
    (type (;17;) (func (result (ref null 5) i64 i64 i64)))
    (type (;18;) (sub (func (param f64) (result nullref i64))))
    (type (;19;) (sub (struct (field (mut f64)) (field f32) (field f32) (field (mut f32)) (field (mut i8)) (field (mut i16)) (field i8))))
    (type (;20;) (struct (field f64) (field (mut i16)) (field (mut i64)) (field (mut i16))))
    (type (;21;) (sub (func (result f32 f64 i64 f64 exnref))))
    (type (;22;) (sub (array i16)))
    (type (;23;) (array (mut f32)))
    (type (;24;) (func))
    (type (;25;) (func (result f64 (ref null 0))))
    (type (;26;) (func (result f64)))
    (type (;27;) (struct (field f32) (field (mut f64))))
  )
  (table (;0;) i64 0 672 eqref i32.const 2045625879 array.new_default 22)
  (table (;1;) i64 0 2 (ref null 2))
  (memory (;0;) 0 16)
  (global (;0;) (mut f64) f64.const 0x1.4a460e14e88aap+538 (;=1160838039545570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;))
  (global (;1;) (mut f64) f64.const 0x1.057c3b2d0d955p-586 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004033014820947944;))
  (global (;2;) (mut i32) i32.const 408509088)
  (global (;3;) (mut f32) f32.const -0x1.931cc4p-50 (;=-0.000000000000001398577;))
  (global (;4;) (mut f32) f32.const -0x1.01a028p+120 (;=-1337668600000000000000000000000000000;))
  (global (;5;) i64 i64.const 8664660526617253130 i64.const -6547611737458831876 i64.const 3149171132913742335 i64.const -840032895490275633 i64.const 3875335380728052628 i64.const 4316534099554381658 i64.const -3599371765262592040 i64.const 623043483388987182 i64.const 2069980780551126695 i64.const 7536015469572244146 i64.mul i64.add i64.add i64.const -1832018083938297351 i64.add i64.mul i64.add i64.add i64.add i64.sub i64.sub)
  (global (;6;) (mut (ref null 14)) global.get 5 i32.const -1030282906 i32.const 1933955391 i32.const 2067938501 i32.const -175113250 i32.const -1746408875 i32.const -1590062421 i32.add i32.const -1636118382 i32.add i32.add i32.const -66034247 i32.mul i32.mul i32.const -1792302989 i32.sub i32.mul i32.add array.new 14)
  (global (;7;) f32 f32.const -0x1.dff614p-63 (;=-0.00000000000000000020327149;))
  (global (;8;) (mut f64) f64.const 0x1.60ec51a3aefdfp+311 (;=5751336750265937000000000000000000000000000000000000000000000000000000000000000000000000000000;))
  (global (;9;) (mut i64) i64.const 0)
  (global (;10;) (mut i32) i32.const 0)
  (global (;11;) (mut i64) i64.const 0)
  (global (;12;) (mut i32) i32.const 0)
  (export "C\u{10}gW" (func 0))
  (export "" (table 0))
  (export "2" (table 1))
  (export "3" (memory 0))
  (export "4" (global 0))
  (export "5" (global 1))
  (export "6" (global 2))
  (export "7" (global 3))
  (export "8" (global 4))
  (export "9" (global 5))
  (export "10" (global 6))
  (export "11" (global 7))
  (export "12" (global 8))
  (export "13" (global 9))
  (export "14" (global 10))
  (export "15" (global 11))
  (export "16" (global 12))
  (elem (;0;) declare (ref null 9))
  (func (;0;) (type 21) (result f32 f64 i64 f64 exnref)
    (local f64 f64 f64)
    return_call 0
    block (type 25) (result f64 (ref null 0)) ;; label = @1
      table.size 0
      i64.eqz
      i64.extend_i32_u
      nop
      try_table (type 24) ;; label = @2
        f32.const -0x1.fffffep+64 (;=-36893486000000000000;)
        f32.abs
        i32.trunc_sat_f32_u
        i64.load align=4
        f64.reinterpret_i64
        block (type 17) (result (ref null 5) i64 i64 i64) ;; label = @3
          f32.const -inf (;=-inf;)
          i64.const -1073741824
          table.get 1
          f64.const 0x1.5cb46429d4ce3p+854 (;=163619128342164600000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
          f64.floor
          local.tee 0
          f64.const nan (;=NaN;)
          local.get 0
          local.get 0
          f64.eq
          select
          i64.trunc_sat_f64_s
          f64.reinterpret_i64
          i32.trunc_sat_f64_u
          array.new_default 14
          memory.size
          call 0
          struct.new_default 9
          i32.const 16
          loop (type 25) (result f64 (ref null 0)) ;; label = @4
            struct.new_default 20
            br_on_null 2 (;@2;)
            block (type 17) (result (ref null 5) i64 i64 i64) ;; label = @5
              br 1 (;@4;)
              br 3 (;@2;)
              elem.drop 0
              try_table (type 24) (catch_all 1 (;@4;)) (catch_all 3 (;@2;)) (catch_all 1 (;@4;)) (catch_all 1 (;@4;)) ;; label = @6
                f32.const 0x1.e42c72p-81 (;=0.00000000000000000000000078222466;)
                call 0
                br_on_non_null 6
                i64.trunc_sat_f64_s
                i64.le_u
                i64.load8_s
                i64.ctz
                f32.convert_i64_u
                i32.const -887037902
                f64.load
                f64.sqrt
                local.tee 1
                f64.const nan (;=NaN;)
                local.get 1
                local.get 1
                f64.eq
                select
                f64.nearest
                local.tee 2
                f64.const nan (;=NaN;)
                local.get 2
                local.get 2
                f64.eq
                select
                i64.reinterpret_f64
                global.get 9
                i64.xor
                global.set 9
                i32.reinterpret_f32
                global.get 10
                i32.xor
                global.set 10
                i64.reinterpret_f64
                global.get 9
                i64.xor
                global.set 9
                i32.reinterpret_f32
                global.get 10
                i32.xor
                global.set 10
                i32.reinterpret_f32
                global.get 10
                i32.xor
                global.set 10
              end
              ref.null 5
              i64.const -3482093490430605710
              i64.const -3652808856875475634
              i64.const -17592186044417
            end
            global.get 11
            i64.xor
            global.set 11
            global.get 11
            i64.xor
            global.set 11
            global.get 11
            i64.xor
            global.set 11
            drop
            drop
            f64.const 0x1.5555555555555p+342 (;=11945305291614955000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
            ref.null 0
          end
          drop
          i64.reinterpret_f64
          global.get 9
          i64.xor
          global.set 9
          global.get 12
          i32.xor
          global.set 12
          drop
          drop
          i64.reinterpret_f64
          global.get 9
          i64.xor
          global.set 9
          global.get 11
          i64.xor
          global.set 11
          i64.reinterpret_f64
          global.get 9
          i64.xor
          global.set 9
          i32.reinterpret_f32
          global.get 10
          i32.xor
          global.set 10
          global.get 12
          i32.xor
          global.set 12
          drop
          drop
          i32.reinterpret_f32
          global.get 10
          i32.xor
          global.set 10
          ref.null 5
          i64.const 1825293984441454246
          i64.const 332812881252239431
          i64.const 4053466740655765386
        end
        global.get 11
        i64.xor
        global.set 11
        global.get 11
        i64.xor
        global.set 11
        global.get 11
        i64.xor
        global.set 11
        drop
        i64.reinterpret_f64
        global.get 9
        i64.xor
        global.set 9
      end
      global.get 11
      i64.xor
      global.set 11
      f64.const -nan:0xfff7fffffffff (;=NaN;)
      ref.null 0
    end
    drop
    i64.reinterpret_f64
    global.get 9
    i64.xor
    global.set 9
  )
)
