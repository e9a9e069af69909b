;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call - 
(module
  (rec
    (type (;0;) (sub (func (result exnref))))
    (type (;1;) (struct (field i16)))
    (type (;2;) (sub (struct)))
    (type (;3;) (array f32))
    (type (;4;) (struct))
    (type (;5;) (sub (func)))
    (type (;6;) (sub (func (result nullexternref i32))))
    (type (;7;) (struct (field (mut i64)) (field structref) (field (mut i16)) (field i16) (field i8) (field (mut i8)) (field i8) (field i8) (field i8) (field (mut i8)) (field (mut structref)) (field i8) (field i16)))
    (type (;8;) (sub (struct (field i16) (field i8) (field i16) (field (mut i8)) (field f32) (field i8) (field (mut i8)) (field (mut f32)) (field (mut i8)) (field (mut i8)) (field (mut i16)) (field i8) (field (mut i16)) (field i8))))
    (type (;9;) (array (mut (ref null 8))))
    (type (;10;) (sub (struct (field i32) (field i16) (field (mut f64)) (field f64) (field (mut i16)) (field (mut nullfuncref)) (field i16) (field (mut i8)) (field nullexternref))))
    (type (;11;) (func))
    (type (;12;) (sub (func (param i64 f64 f32 i64 (ref null 2) f32))))
    (type (;13;) (sub (array (mut i31ref))))
    (type (;14;) (sub (array (mut exnref))))
    (type (;15;) (struct (field i16) (field (mut i8)) (field i16) (field (mut i8)) (field (mut (ref null 3))) (field (mut i16)) (field (mut (ref null 2))) (field i8) (field (mut i8)) (field i8) (field i8) (field i16)))
    (type (;16;) (sub (struct)))
    (type (;17;) (sub (struct (field i16) (field (mut i64)) (field (mut f64)) (field f32) (field i8) (field i32) (field (mut i32)) (field i16) (field (mut f64)) (field (mut f64)) (field i8) (field (mut structref)) (field (mut i16)))))
    (type (;18;) (array (mut f32)))
    (type (;19;) (sub 2 (struct (field i8) (field i16) (field i16) (field i8))))
    (type (;20;) (array (mut f32)))
    (type (;21;) (func (result f64)))
    (type (;22;) (func (param i64 i64 i64 f32)))
    (type (;23;) (sub (struct (field (mut i64)) (field i8) (field (mut i8)) (field f32) (field i8) (field (mut i8)) (field f64) (field (mut i8)) (field (mut i16)) (field i8))))
    (type (;24;) (struct (field i64) (field (mut i64)) (field (mut (ref null 10)))))
    (type (;25;) (func (param nullfuncref) (result i64 i64 f64 f64 funcref)))
    (type (;26;) (array (mut i16)))
    (type (;27;) (array (mut i8)))
    (type (;28;) (sub (array (mut i16))))
    (type (;29;) (struct (field (mut i16)) (field (mut f32)) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut i32)) (field i64) (field (mut f32)) (field (ref null 3)) (field (mut i8)) (field (mut f32)) (field (mut i16)) (field (mut i16))))
    (type (;30;) (struct (field i8) (field i16) (field (mut f32)) (field i8) (field (mut i8)) (field f32) (field (mut i16)) (field (mut i8)) (field i8)))
  )
  (table (;0;) 0 812 (ref null 26) i32.const 583493973 i32.const 442576852 i32.const 1481984218 i32.const -8099042 i32.const -910048608 i32.const 462823687 i32.sub i32.const 325945779 i32.sub i32.sub i32.mul i32.add i32.mul i32.const -175353060 i32.const -2081229885 i32.sub i32.add array.new_default 26)
  (memory (;0;) 0 4)
  (global (;0;) (mut i64) i64.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (table 0))
  (export "3" (memory 0))
  (elem (;0;) (table 0) (i32.const 0) nullref)
  (elem (;1;) (table 0) (i32.const 0) nullref)
  (elem (;2;) (table 0) (i32.const 0) (ref null 26))
  (func (;0;) (type 21) (result f64)
    return_call 0
    f32.demote_f64
    call 0
    i32.trunc_sat_f64_s
    i64.const -4503599627370496
    i64.eqz
    return_call 0
    f64.store align=2
    table.get 0
    ref.is_null
    f64.convert_i32_u
    i32.trunc_f64_s
    i32.const 1982022355
    i32.sub
    block (type 0) (result exnref) ;; label = @1
      data.drop 0
      block (type 5) ;; label = @2
        ref.null 18
        ref.null exn
        br 1 (;@1;)
        i64.const 8563107318509523964
        i64.extend16_s
        loop (type 5) ;; label = @3
          elem.drop 1
        end
        global.get 0
        i64.xor
        global.set 0
        drop
      end
      ref.null exn
    end
    drop
    global.get 1
    i32.xor
    global.set 1
    i32.reinterpret_f32
    global.get 2
    i32.xor
    global.set 2
    f64.const 0x1.c7e23b833bd0ap-979 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000034853657861748953;)
  )
  (func (;1;) (type 0) (result exnref)
    (local f32 f64 f32 f64 f32)
    f32.const 0x1.ep-146 (;=0.000000000000000000000000000000000000000000021;)
    f32.nearest
    local.tee 0
    f32.const nan (;=NaN;)
    local.get 0
    local.get 0
    f32.eq
    select
    i64.trunc_f32_s
    f64.reinterpret_i64
    f32.const -0x1.b0e5bcp+47 (;=-237987860000000;)
    i64.const -3686646515647091748
    memory.size
    if (type 21) (result f64) ;; label = @1
      table.size 0
      i64.load
      loop (type 0) (result exnref) ;; label = @2
        data.drop 0
        struct.new_default 23
        loop (type 21) (result f64) ;; label = @3
          call 1
          ref.null 23
          call 0
          f64.floor
          local.tee 1
          f64.const nan (;=NaN;)
          local.get 1
          local.get 1
          f64.eq
          select
          i64.trunc_f64_s
          i64.ctz
          call 0
          struct.new_default 7
          ref.cast (ref none)
          f32.const 0x1.p-128 (;=0.000000000000000000000000000000000000002938736;)
          i64.trunc_sat_f32_u
          f32.convert_i64_s
          f64.promote_f32
          i32.trunc_sat_f64_s
          i64.load8_s
          f32.convert_i64_u
          i32.trunc_sat_f32_s
          f64.convert_i32_u
          i32.trunc_sat_f64_u
          array.new 9
          br_on_null 2 (;@1;)
          memory.size
          ref.null 22
          ref.is_null
          f32.convert_i32_u
          i64.trunc_f32_u
          i32.wrap_i64
          f32.convert_i32_s
          f32.neg
          f32.trunc
          local.tee 2
          f32.const nan (;=NaN;)
          local.get 2
          local.get 2
          f32.eq
          select
          nop
          i32.trunc_sat_f32_u
          i32.eq
          i32.load8_u
          i64.load8_u
          ref.null 21
          ref.is_null
          i32.load8_s
          br 1 (;@2;)
          f64.convert_i32_s
          block (type 6) (result nullexternref i32) ;; label = @4
            return_call 1
            call 0
            block (type 21) (result f64) ;; label = @5
              f64.const 0x1.ffffffp-1050 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000165780916;)
              call 1
              elem.drop 2
              br 5
              i64.reinterpret_f64
              try_table (catch_all_ref 5) (catch_all 2 (;@3;)) (catch_all 2 (;@3;)) (catch_all 3 (;@2;)) (catch_all_ref 5) ;; label = @6
                f64.const 0x1.p-1072 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002;)
                f64.ceil
                local.tee 3
                f64.const nan (;=NaN;)
                local.get 3
                local.get 3
                f64.eq
                select
                f64.const -0x1.ce420663512f9p+225 (;=-97362879682242450000000000000000000000000000000000000000000000000000;)
                f64.abs
                f64.const 0x1.6c904c3a2edb9p+974 (;=227378391961988100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                i64.trunc_f64_u
                f32.const -0x1.451a18p-126 (;=-0.000000000000000000000000000000000000014927948;)
                f32.floor
                local.tee 4
                f32.const nan (;=NaN;)
                local.get 4
                local.get 4
                f32.eq
                select
                memory.size
                table.size 0
                return_call 1
                ref.is_null
                i32.store8
                i32.const 0
                unreachable
              end
              unreachable
            end
            unreachable
          end
          unreachable
        end
        unreachable
      end
      unreachable
    else
      unreachable
    end
    unreachable
  )
  (data (;0;) "")
)
